"""Problems found before complaints: a burst of sanitation requests in one compound this week is
flagged when the street scans; the street officer opens the flag, sees the requests behind it and
turns it into a whistle case summoning the company."""
from selenium.webdriver.common.by import By

from conftest import Api, login, shot, wait_text


def test_a_flagged_hotspot_is_turned_into_a_whistle_case(server, database, browser):
    compound = database.execute("SELECT lower(id) FROM compounds WHERE name = '万兴苑'").fetchone()[0]
    owner = Api(server, "yezhu01").call
    texts = ["垃圾桶满溢两天没人清运", "楼道里堆放杂物无人清理", "垃圾分类驿站异味很大", "单元门口垃圾袋堆积", "地下室垃圾无人清理", "楼后空地垃圾成堆"]
    for text in texts:
        status, body = owner("POST", "/api/v1/requests", {"category": "sanitation", "compoundId": compound, "description": text, "reporterName": "业主"})
        assert status == 201, body

    login(browser, server, "jiedao01")
    browser.find_element(By.CSS_SELECTOR, "nav [data-nav='hotspots']").click()
    wait_text(browser, "未诉先办", "h1")
    browser.find_element(By.CSS_SELECTOR, "#scan-form button").click()
    wait_text(browser, "万兴苑", "#hotspot-list")
    row = browser.find_element(By.CSS_SELECTOR, "#hotspot-list tr[data-hotspot='万兴苑|sanitation']")
    assert "待处置" in row.text
    row.find_element(By.TAG_NAME, "a").click()
    wait_text(browser, "万兴苑", "h1")
    listed = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#hotspot-requests li")]
    assert len(listed) >= 6 and all(any(t in line for line in listed) for t in texts)
    count = int(browser.find_element(By.ID, "hotspot-count").text.split(" ")[0])
    assert count == len(listed)
    shot(browser, "hotspot-flag")

    assert browser.find_element(By.CSS_SELECTOR, "#whistle-form input[name='summonCompany']").is_selected()
    browser.find_element(By.CSS_SELECTOR, "#whistle-form button.primary").click()
    wait_text(browser, "未诉先办：万兴苑", "h1")
    case_url = browser.current_url
    browser.get(server["base"] + "/hotspots")
    row = browser.find_element(By.CSS_SELECTOR, "#hotspot-list tr[data-hotspot='万兴苑|sanitation']")
    assert "已吹哨" in row.text
    row.find_element(By.TAG_NAME, "a").click()
    assert browser.find_element(By.ID, "hotspot-case").get_attribute("href") == case_url
    assert not browser.find_elements(By.ID, "whistle-form")
