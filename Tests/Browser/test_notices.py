"""The community posts a notice to a compound; an owner sees it unread on the phone's start page,
opens it (the read receipt), and the community sees the reading counted in the owner's building."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import login, shot, wait_text


def test_a_notice_is_posted_read_by_an_owner_on_a_phone_and_counted(server, database, browser, phone):
    compound = database.execute("SELECT id FROM compounds WHERE name = '万兴苑'").fetchone()[0].lower()
    login(browser, server, "shequ01")
    browser.get(server["base"] + f"/notices/new?compoundId={compound}")
    wait_text(browser, "发布公示", "h1")
    Select(browser.find_element(By.ID, "f-author")).select_by_value("community")
    browser.find_element(By.ID, "f-title").send_keys("冬季供暖试水通知")
    browser.find_element(By.ID, "f-body").send_keys("12月5日起供暖管道试水，请各户关好阀门。\n如有漏水请拨打物业电话。")
    # a last day before the first is refused beside the field, keeping what was typed
    until = browser.find_element(By.ID, "f-validUntil")
    browser.execute_script("arguments[0].value = '2020-01-01'", until)
    browser.find_element(By.CSS_SELECTOR, "#notice-form button.primary").click()
    wait_text(browser, "截止日期", "#form-errors")
    assert browser.find_element(By.ID, "f-title").get_attribute("value") == "冬季供暖试水通知"
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "f-validUntil"),
                           browser.find_element(By.ID, "f-validFrom").get_attribute("value"))
    browser.find_element(By.CSS_SELECTOR, "#notice-form button.primary").click()
    wait_text(browser, "冬季供暖试水通知", "h1")
    number = browser.find_element(By.ID, "notice-meta").text.split()[0]
    assert number.startswith("GS")
    assert "已读 0 人" in browser.find_element(By.ID, "notice-readers").text

    # the owner sees it unread on the phone's start page and opens it
    login(phone, server, "yezhu01")
    card = phone.find_element(By.ID, "home-notices")
    assert "冬季供暖试水通知" in card.text and "未读" in card.text
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    card.find_element(By.LINK_TEXT, "冬季供暖试水通知").click()
    wait_text(phone, "冬季供暖试水通知", "h1")
    assert "如有漏水请拨打物业电话" in phone.find_element(By.ID, "notice-body").text
    assert "您已于" in phone.find_element(By.ID, "read-receipt").text
    assert not phone.find_elements(By.ID, "withdraw-form")
    shot(phone, "notice-phone")
    phone.get(server["base"] + "/")
    assert "（0 条未读）" in phone.find_element(By.ID, "home-notices").text or "冬季供暖试水通知" not in [
        e.text for e in phone.find_elements(By.CSS_SELECTOR, "#home-notices li.unread a")]

    # the community sees the reading counted in the owner's building
    browser.refresh()
    wait_text(browser, "已读 1 人", "#notice-readers")
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#reads-by-building tbody tr")]
    assert sum(int(r.split()[-1]) for r in rows) == 1
    count = database.execute("SELECT COUNT(*) FROM notice_reads r JOIN notices n ON n.id = r.notice_id WHERE n.number = ?", (number,)).fetchone()[0]
    assert count == 1
    shot(browser, "notice-reads")

    # the author corrects it: a last day before the first comes back beside the field with what was
    # typed; then the change is saved and the reading stays counted
    browser.find_element(By.ID, "edit-notice").click()
    wait_text(browser, "修改公示", "h1")
    title = browser.find_element(By.ID, "f-title")
    title.clear()
    title.send_keys("冬季供暖试水通知（更正）")
    browser.execute_script("arguments[0].value = '2020-01-01'", browser.find_element(By.ID, "f-validUntil"))
    browser.find_element(By.CSS_SELECTOR, "#notice-edit-form button.primary").click()
    wait_text(browser, "截止日期", "#form-errors")
    assert browser.find_element(By.ID, "f-title").get_attribute("value") == "冬季供暖试水通知（更正）"
    first = browser.find_element(By.ID, "notice-edit-form").find_element(By.XPATH, "preceding-sibling::p[1]").text.split("开始日期 ")[-1][:10]
    import datetime
    later = (datetime.date.fromisoformat(first) + datetime.timedelta(days=20)).isoformat()
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "f-validUntil"), later)
    browser.find_element(By.CSS_SELECTOR, "#notice-edit-form button.primary").click()
    wait_text(browser, "冬季供暖试水通知（更正）", "h1")
    assert later in browser.find_element(By.ID, "notice-meta").text
    assert "已读 1 人" in browser.find_element(By.ID, "notice-readers").text
