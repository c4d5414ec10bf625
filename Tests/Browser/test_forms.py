"""A refused form comes back with what was typed, a Chinese message beside each field, and the
caller still signed in — on a phone and at a desk."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import login, shot


def wait_for_errors(driver):
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "form-errors"))


def test_owner_filing_refused_on_phone_keeps_input(server, phone):
    login(phone, server, "yezhu01")
    phone.get(server["base"] + "/requests/new")
    phone.find_element(By.CSS_SELECTOR, "label.choice input[value='sanitation']").click()
    Select(phone.find_element(By.ID, "urgency")).select_by_value("utilities")
    # only spaces: the browser lets it through, the server does not
    phone.find_element(By.ID, "description").send_keys("   ")
    phone.find_element(By.ID, "submit-request").click()
    wait_for_errors(phone)
    assert "没有保存" in phone.find_element(By.ID, "form-errors").text
    # the choices made are still made, and the message sits beside the description, in Chinese
    assert phone.find_element(By.CSS_SELECTOR, "label.choice input[value='sanitation']").is_selected()
    assert Select(phone.find_element(By.ID, "urgency")).first_selected_option.get_attribute("value") == "utilities"
    description = phone.find_element(By.ID, "description")
    assert description.get_attribute("aria-invalid") == "true"
    field = description.find_element(By.XPATH, "./ancestor::div[contains(@class,'field')]")
    assert "必须填写" in field.find_element(By.CSS_SELECTOR, "p.error").text
    assert phone.find_elements(By.ID, "who"), "still signed in"
    assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(phone, "form-refused-phone")
    # corrected, it files (past the neighbours' open request of the same kind, if another test filed one)
    description.send_keys("小区北门垃圾桶满溢")
    from conftest import submit_request
    submit_request(phone)
    from test_requests import heading_shows
    assert heading_shows(phone, "GZ")


def test_staff_filing_refused_at_desk_keeps_every_field(server, browser):
    login(browser, server, "jiedao01")
    browser.get(server["base"] + "/requests/new")
    browser.find_element(By.CSS_SELECTOR, "label.choice input[value='greening']").click()
    browser.find_element(By.ID, "description").send_keys("居民来电：8号楼前大树倾斜")
    browser.find_element(By.ID, "reporterName").send_keys("王女士")
    browser.find_element(By.ID, "reporterPhone").send_keys("010-6439-1234 转 5678 分机 910")
    browser.find_element(By.ID, "submit-request").click()
    wait_for_errors(browser)
    assert browser.find_element(By.ID, "description").get_attribute("value") == "居民来电：8号楼前大树倾斜"
    assert browser.find_element(By.ID, "reporterName").get_attribute("value") == "王女士"
    assert browser.find_element(By.ID, "reporterPhone").get_attribute("value") == "010-6439-1234 转 5678 分机 910"
    assert browser.find_element(By.CSS_SELECTOR, "label.choice input[value='greening']").is_selected()
    phone_field = browser.find_element(By.ID, "reporterPhone").find_element(By.XPATH, "./ancestor::div[contains(@class,'field')]")
    assert "太长" in phone_field.find_element(By.CSS_SELECTOR, "p.error").text
    assert "出错了" not in browser.page_source
    shot(browser, "form-refused-desktop")
