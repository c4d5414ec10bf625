"""The fund's forms (a committee member deposits and makes, announces and pays an emergency plan),
the owner's own rooms marked on the fund page, and a district admin creating an account."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import login, shot, wait_text


def accept(driver, expected):
    alert = WebDriverWait(driver, 5).until(lambda d: d.switch_to.alert)
    assert expected in alert.text, alert.text
    alert.accept()


def test_a_fund_plan_is_made_announced_and_paid_from_its_forms(server, database, browser):
    compound = database.execute("SELECT id FROM compounds WHERE name = '万兴苑'").fetchone()[0].lower()
    login(browser, server, "yeweihui01")
    browser.get(server["base"] + f"/compounds/{compound}/fund")
    assert browser.find_element(By.TAG_NAME, "h1").text == "万兴苑 · 专项维修资金"
    # a deposit by rate, with thousands separators, after a confirmation
    browser.find_element(By.CSS_SELECTOR, "#deposit-rate-form input[name=ratePerSqm]").send_keys("1,000.00")
    browser.find_element(By.CSS_SELECTOR, "#deposit-rate-form button").click()
    accept(browser, "交存")
    wait_text(browser, "已保存")

    # a plan with nobody bearing it comes back with what was typed and a Chinese message at the bearers
    browser.find_element(By.ID, "f-project").send_keys("1号楼电梯抢修")
    browser.find_element(By.CSS_SELECTOR, "#plan-form input[name=amount]").send_keys("12,000")
    Select(browser.find_element(By.ID, "f-emergency")).select_by_value("lift")
    browser.find_element(By.CSS_SELECTOR, "#plan-form button.primary").click()
    accept(browser, "使用计划")
    wait_text(browser, "必须填写", "fieldset.bearers")
    assert browser.find_element(By.ID, "f-project").get_attribute("value") == "1号楼电梯抢修"
    assert browser.find_element(By.CSS_SELECTOR, "#plan-form input[name=amount]").get_attribute("value") == "12,000"

    # now with the first building ticked
    first = browser.find_element(By.CSS_SELECTOR, "details.building-rooms input[type=checkbox]")
    building = first.get_attribute("name").split(":")[1]
    browser.execute_script("arguments[0].click()", first)
    browser.find_element(By.CSS_SELECTOR, "#plan-form button.primary").click()
    accept(browser, "使用计划")
    wait_text(browser, "已保存")
    plan_id, amount, rooms = database.execute(
        "SELECT id, amount, room_ids FROM spending_plans WHERE project = '1号楼电梯抢修'").fetchone()
    plan_id = plan_id.lower()
    assert amount == 1_200_000
    bearing = database.execute("SELECT COUNT(*) FROM rooms r JOIN entrances e ON e.id = r.entrance_id WHERE lower(e.building_id) = ?",
                               (building,)).fetchone()[0]
    assert len(rooms.split(",")) == bearing
    shot(browser, "fund-plan-desktop")

    # an emergency is announced before it is paid; then paying takes it from the rooms' accounts
    browser.find_element(By.ID, f"notice-{plan_id}").click()
    accept(browser, "公告")
    wait_text(browser, "已公告")
    before = database.execute("SELECT COALESCE(SUM(amount), 0) FROM fund_postings WHERE lower(compound_id) = ? AND room_id IS NULL",
                              (compound,)).fetchone()[0]
    browser.find_element(By.ID, f"pay-{plan_id}").click()
    accept(browser, "12,000.00")
    wait_text(browser, "已支付")
    after = database.execute("SELECT COALESCE(SUM(amount), 0) FROM fund_postings WHERE lower(compound_id) = ? AND room_id IS NULL",
                             (compound,)).fetchone()[0]
    assert before - after == 1_200_000


def test_an_owner_sees_their_rooms_marked_and_no_forms(server, phone):
    login(phone, server, "yezhu01")
    phone.get(server["base"] + "/")
    phone.find_element(By.CSS_SELECTOR, "a[href$='/fund']").click()
    wait_text(phone, "专项维修资金", "h1")
    assert "您名下的房屋" in phone.find_element(By.ID, "my-fund").text
    assert phone.find_elements(By.CSS_SELECTOR, "tr.mine")
    assert not phone.find_elements(By.ID, "plan-form")
    assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(phone, "fund-owner-phone")


def test_an_admin_creates_an_account_and_the_person_signs_in(server, database, browser, phone):
    login(browser, server, "quguan01")
    browser.find_element(By.CSS_SELECTOR, "a[data-nav=users]").click()
    wait_text(browser, "账号管理", "h1")
    browser.find_element(By.ID, "new-user").click()
    Select(browser.find_element(By.ID, "f-role")).select_by_value("community-staff")
    community = database.execute("SELECT name FROM communities ORDER BY name LIMIT 1").fetchone()[0]
    browser.find_element(By.ID, "f-find").send_keys(community)
    browser.find_element(By.CSS_SELECTOR, "#scope-finder button").click()
    wait_text(browser, "角色：社区工作人员")
    browser.find_element(By.ID, "f-username").send_keys("li.shequ")
    browser.find_element(By.ID, "f-displayName").send_keys("李社区")
    browser.find_element(By.ID, "f-password").send_keys("Handed-2026")
    shot(browser, "account-new-desktop")
    browser.find_element(By.CSS_SELECTOR, "#user-form button.primary").click()
    wait_text(browser, "李社区（li.shequ）", "h1")
    assert "社区工作人员" in browser.find_element(By.TAG_NAME, "table").text
    assert database.execute("SELECT COUNT(*) FROM audit_events WHERE entity = 'users' AND action = 'create'").fetchone()[0] >= 1

    # the person signs in with what was handed over
    phone.get(server["base"] + "/login")
    phone.find_element(By.ID, "username").send_keys("li.shequ")
    phone.find_element(By.ID, "password").send_keys("Handed-2026")
    phone.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_text(phone, "li.shequ", "#who")
