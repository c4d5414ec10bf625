"""A party member reports a neighbours' dispute from a phone; the street assigns the judge seated in the
branch, who records a session and the agreement; the community's figures count it."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import login, shot, wait_text


def test_a_party_member_reports_a_mediator_settles_it_and_the_figures_show_it(server, database, browser, phone):
    # a resident who is a party member reports it on a phone: their compound is chosen, their rooms offered
    login(phone, server, "jumin01")
    phone.get(server["base"] + "/disputes/new")
    Select(phone.find_element(By.ID, "f-kind")).select_by_value("noise")
    phone.find_element(By.ID, "f-title").send_keys("楼上夜间装修噪音")
    phone.find_element(By.ID, "f-description").send_keys("晚上十点后仍在电钻施工，已沟通无果。")
    phone.find_element(By.CSS_SELECTOR, "#dispute-rooms details summary").click()
    phone.find_element(By.CSS_SELECTOR, "#dispute-rooms input[type=checkbox]").click()
    Select(phone.find_element(By.NAME, "partyKind0")).select_by_value("owner")
    phone.find_element(By.NAME, "partyName0").send_keys("楼上住户")
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone, "dispute-report-phone")
    phone.find_element(By.CSS_SELECTOR, "#dispute-form button.primary").click()
    wait_text(phone, "JF", "h1")
    number = phone.find_element(By.TAG_NAME, "h1").text.split()[0]
    assert phone.find_element(By.ID, "dispute-status").text == "已受理"
    row = database.execute("SELECT id, source, status FROM disputes WHERE number = ?", (number,)).fetchone()
    assert row[1] == "party_member" and row[2] == "received"
    assert database.execute("SELECT COUNT(*) FROM dispute_rooms WHERE dispute_id = ?", (row[0],)).fetchone()[0] == 1

    # the street sees it on the branch's list and assigns the seated judge
    login(browser, server, "jiedao01")
    browser.get(server["base"] + "/disputes")
    browser.find_element(By.LINK_TEXT, number).click()
    wait_text(browser, number, "h1")
    Select(browser.find_element(By.CSS_SELECTOR, "#mediator-form #f-userId")).select_by_index(1)
    Select(browser.find_element(By.CSS_SELECTOR, "#mediator-form #f-kind")).select_by_value("judge")
    browser.find_element(By.CSS_SELECTOR, "#mediator-form button").click()
    wait_text(browser, "驻支部法官", "#dispute-mediators")

    # the judge records a session and the agreement
    login(browser, server, "tiaojie01")
    browser.get(server["base"] + "/disputes")
    browser.find_element(By.LINK_TEXT, number).click()
    wait_text(browser, number, "h1")
    Select(browser.find_element(By.CSS_SELECTOR, "#session-form #f-mediatorKind")).select_by_value("judge")
    browser.find_element(By.CSS_SELECTOR, "#session-form #f-note").send_keys("双方到场，约定晚上十点后停工。")
    browser.find_element(By.CSS_SELECTOR, "#session-form button").click()
    wait_text(browser, "调解中", "#dispute-status")
    Select(browser.find_element(By.CSS_SELECTOR, "#outcome-form #f-outcome")).select_by_value("mediated")
    browser.find_element(By.CSS_SELECTOR, "#outcome-form #f-note").send_keys("签订调解协议")
    browser.find_element(By.CSS_SELECTOR, "#outcome-form button").click()
    wait_text(browser, "调解成功", "#dispute-status")
    assert "签订调解协议" in browser.find_element(By.ID, "dispute-outcome").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#dispute-history li")) == 2
    assert not browser.find_elements(By.ID, "session-form")
    shot(browser, "dispute-mediated")

    # the community's figures count one received and one settled this month
    login(browser, server, "shequ01")
    browser.get(server["base"] + "/dispute-figures")
    last = browser.find_elements(By.CSS_SELECTOR, "#dispute-months tbody tr")[-1].find_elements(By.TAG_NAME, "td")
    assert [c.text for c in last[1:3]] == ["1", "1"]
    assert last[4].text == "0.00"
    assert browser.find_elements(By.CSS_SELECTOR, "#dispute-chart rect")
    assert "噪音" in browser.find_element(By.ID, "dispute-kinds").text
    shot(browser, "dispute-figures")
