"""A company bills a compound and records a payment with a printable receipt; the street sees the
compound's collection rate and the arrears behind it; an owner is reminded on the start page."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import login, shot, wait_text


def accept(driver):
    WebDriverWait(driver, 5).until(lambda d: d.switch_to.alert).accept()


def last_month():
    today = datetime.date.today()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.strftime("%Y-%m")


def test_the_company_bills_records_a_payment_and_the_street_sees_the_rate(server, database, browser, phone):
    compound = database.execute("SELECT id FROM compounds WHERE name = '万兴苑'").fetchone()[0].lower()
    month = last_month()
    login(browser, server, "wuye01")
    browser.get(server["base"] + f"/compounds/{compound}/fees")
    browser.find_element(By.CSS_SELECTOR, "#bill-form button").click()
    accept(browser)
    wait_text(browser, "账单已生成")
    rooms = database.execute("""SELECT COUNT(*) FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                                WHERE lower(b.compound_id) = ?""", (compound,)).fetchone()[0]
    assert database.execute("SELECT COUNT(*) FROM bills WHERE lower(compound_id) = ? AND period_start LIKE ?", (compound, month + "%")).fetchone()[0] == rooms
    arrears = browser.find_elements(By.CSS_SELECTOR, "#arrears tbody tr")
    assert len(arrears) == rooms

    # a room pays what it owes by WeChat; the receipt prints
    arrears[0].find_element(By.TAG_NAME, "a").click()
    wait_text(browser, "物业费账单", "h1")
    owed = browser.find_element(By.ID, "f-amount").get_attribute("value")
    browser.find_element(By.ID, "f-reference").send_keys("WX20261201001")
    browser.find_element(By.CSS_SELECTOR, "#f-method option[value=wechat]").click()
    browser.find_element(By.CSS_SELECTOR, "#payment-form button.primary").click()
    accept(browser)
    wait_text(browser, "物业费收据", "h1")
    assert owed in browser.find_element(By.ID, "receipt-amount").text.replace(",", "")
    assert "微信" in browser.find_element(By.ID, "receipt").text
    assert browser.find_element(By.CSS_SELECTOR, "[data-print]")
    shot(browser, "fee-receipt")

    # the street sees the compound's rate below 100% and one room fewer in arrears
    login(browser, server, "jiedao01")
    browser.get(server["base"] + f"/fees?month={month}")
    row = browser.find_element(By.XPATH, "//div[@id='collection-table']//tr[td/a[text()='万兴苑']]")
    rate = row.find_elements(By.TAG_NAME, "td")[3].text
    assert rate.endswith("%") and rate != "100.00%" and rate != "0.00%"
    assert browser.find_elements(By.CSS_SELECTOR, "#collection-chart rect")
    shot(browser, "fees-street")
    row.find_element(By.TAG_NAME, "a").click()
    wait_text(browser, "万兴苑 · 物业费收缴", "h1")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#arrears tbody tr")) == rooms - 1
    assert browser.find_elements(By.CSS_SELECTOR, "#collection-trend rect")
    assert not browser.find_elements(By.ID, "bill-form")
    # a reminder to pay prints for a room in arrears
    browser.find_element(By.CSS_SELECTOR, "#arrears a.notice-link").click()
    wait_text(browser, "物业费催缴通知", "h1")
    assert "元" in browser.find_element(By.ID, "notice").text
    shot(browser, "fee-notice")

    # an owner with a bill due is reminded on the start page and sees the bill, on a phone
    login(phone, server, "yezhu01")
    phone.get(server["base"] + "/")
    owner_owes = phone.find_elements(By.ID, "fee-reminder")
    phone.find_element(By.CSS_SELECTOR, "a.room-bills").click()
    wait_text(phone, "物业费账单", "h1")
    statuses = [e.text for e in phone.find_elements(By.CSS_SELECTOR, "#bills .badge")]
    assert statuses, "the owner's room has its bill"
    assert bool(owner_owes) == ("未缴" in statuses)
    assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(phone, "fees-owner-phone")
