"""A community convenes this month's five-party meeting and next month's; attendance without the
residents' representative marks it; the minutes' resolution is carried onto the next meeting; the
published summary reaches an owner without names or minutes."""
from selenium.webdriver.common.by import By

from conftest import login, shot, wait_text


def test_a_consultation_from_convening_to_the_published_summary(server, database, browser, phone):
    login(browser, server, "shequ01")
    browser.get(server["base"] + "/consultations/new")
    title = browser.find_element(By.ID, "f-title")
    title.clear()
    title.send_keys("万兴苑停车与电梯议事")
    repeat = browser.find_element(By.ID, "f-repeatMonthly")
    repeat.clear()
    repeat.send_keys("1")
    browser.find_element(By.NAME, "agenda0").send_keys("地面停车位划线")
    # today's evening, so that the minutes can follow
    browser.execute_script("document.getElementById('f-heldAt').value = document.getElementById('f-heldAt').value.replace(/^\\d{4}-\\d{2}-\\d{2}/, "
                           "new Date(Date.now() - 86400000).toISOString().slice(0, 10))")
    browser.find_element(By.CSS_SELECTOR, "#consultation-form button.primary").click()
    wait_text(browser, "YS", "h1")
    number = browser.find_element(By.TAG_NAME, "h1").text.split()[0]
    url = browser.current_url
    assert database.execute("SELECT COUNT(*) FROM consultations WHERE title = '万兴苑停车与电梯议事'").fetchone()[0] == 2

    # sign-in without the residents' representative: not a five-party meeting
    boxes = browser.find_elements(By.CSS_SELECTOR, "#attendance-form input[type=checkbox]")
    labels = browser.find_elements(By.CSS_SELECTOR, "#attendance-form label")
    for box, label in zip(boxes, labels):
        if "居民代表" not in label.text:
            box.click()
    browser.find_element(By.CSS_SELECTOR, "#attendance-form button").click()
    wait_text(browser, "非五方会商", "#five-party")
    assert "居民代表" in browser.find_element(By.ID, "five-party").text

    # minutes with a resolution for the company
    browser.find_element(By.CSS_SELECTOR, "#minutes-form #f-minutes").send_keys("物业同意两周内完成地面车位划线。")
    browser.find_element(By.NAME, "resolution0").send_keys("完成地面车位划线")
    browser.find_element(By.CSS_SELECTOR, "select[name=resolutionParty0] option[value=company]").click()
    browser.find_element(By.CSS_SELECTOR, "#minutes-form button.primary").click()
    wait_text(browser, "已召开", "#consultation-status")
    assert "完成地面车位划线" in browser.find_element(By.ID, "resolutions").text

    # the next month's meeting carries it on its agenda
    browser.get(server["base"] + "/consultations")
    nxt = [a for a in browser.find_elements(By.CSS_SELECTOR, "#consultation-list a") if a.text != number][0]
    nxt.click()
    wait_text(browser, "完成地面车位划线", "#agenda")
    assert "上次决议" in browser.find_element(By.ID, "agenda").text
    shot(browser, "consultation-next")

    # the summary is published; an owner of the compound reads it on a phone, without names or minutes
    browser.get(url)
    browser.find_element(By.CSS_SELECTOR, "#publish-form #f-summary").send_keys("两周内完成地面车位划线，下次会议通报。")
    browser.find_element(By.CSS_SELECTOR, "#publish-form button.primary").click()
    wait_text(browser, "已公开", "#consultation-status")
    login(phone, server, "yezhu01")
    phone.get(server["base"] + "/consultations")
    phone.find_element(By.LINK_TEXT, number).click()
    wait_text(phone, "两周内完成地面车位划线", "#summary")
    text = phone.find_element(By.TAG_NAME, "main").text
    assert "社区党委书记" not in text and "物业同意" not in text
    assert "社区党委" in phone.find_element(By.ID, "seats").text
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone, "consultation-summary-phone")
