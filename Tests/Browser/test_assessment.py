"""Assessment: a community inspector scores a compound on a phone, photographs a deduction and
opens a request to the company from it, submits, and the company answers; the street publishes its
red and black list for a quarter, downloads it as CSV and records a rectification order against a
black placing."""
import base64
import os
import tempfile
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import Api, login, shot, wait_text

# A 1×1 PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def fits(driver):
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_inspection_on_a_phone_with_a_deduction_that_opens_a_request(server, database, phone):
    login(phone, server, "shequ01")
    phone.get(server["base"] + "/inspections")
    wait_text(phone, "物业日查", "h1")
    Select(phone.find_element(By.ID, "f-compoundId")).select_by_visible_text("欧陆经典社区 · 万兴苑")
    phone.find_element(By.CSS_SELECTOR, "#start-inspection button.primary").click()
    wait_text(phone, "万兴苑", "h1")
    assert "100.00" in phone.find_element(By.ID, "inspection-score").text
    assert len(phone.find_elements(By.CSS_SELECTOR, "#score-form fieldset.check-item")) == 21
    assert fits(phone), "the scoring form is wider than the phone"
    # Two overflowing bins (C2, 2 points a finding) and a fire lane blocked, not reported by the company.
    count = phone.find_element(By.ID, "f-f-C2")
    count.clear()
    count.send_keys("2")
    lane = phone.find_element(By.ID, "f-f-F1")
    lane.clear()
    lane.send_keys("1")
    Select(phone.find_element(By.ID, "f-h-F1")).select_by_value("unreported")
    phone.find_element(By.ID, "f-n-C2").send_keys("3号楼桶站满溢")
    phone.find_element(By.CSS_SELECTOR, "#score-form button.primary").click()
    wait_text(phone, "93.00", "#inspection-score")
    shot(phone, "inspection-phone")
    items = phone.find_elements(By.CSS_SELECTOR, "#deductions > li")
    assert [li.get_attribute("data-code") for li in items] == ["F1", "C2"]
    # A photo of the bins, from the phone's camera.
    path = os.path.join(tempfile.mkdtemp(), "bins.png")
    with open(path, "wb") as f:
        f.write(PNG)
    c2 = phone.find_element(By.CSS_SELECTOR, "#deductions > li[data-code='C2']")
    c2.find_element(By.CSS_SELECTOR, ".photo-form input[type=file]").send_keys(path)
    c2.find_element(By.CSS_SELECTOR, ".photo-form button").click()
    wait_text(phone, "93.00", "#inspection-score")
    assert phone.find_elements(By.CSS_SELECTOR, "#deductions > li[data-code='C2'] .photos img")
    # One step: a request to the company about the bins.
    phone.find_element(By.CSS_SELECTOR, "#deductions > li[data-code='C2'] .inline-form:not(.photo-form) button").click()
    wait_text(phone, "GZ", "h1")
    number = phone.find_element(By.TAG_NAME, "h1").text
    assert "日查扣分" in phone.find_element(By.TAG_NAME, "body").text
    row = database.execute("SELECT channel, category, handler_kind FROM requests WHERE description LIKE '日查扣分%' ORDER BY created_at DESC LIMIT 1").fetchone()
    assert row == ("inspection", "sanitation", "company")
    phone.back()
    phone.refresh()
    link = phone.find_element(By.CSS_SELECTOR, "#deductions > li[data-code='C2'] a.request-link")
    assert link.text in number
    # Submitted: the score is fixed.
    phone.find_element(By.CSS_SELECTOR, "#submit-form button.primary").click()
    wait_text(phone, "已提交", "h1")
    assert not phone.find_elements(By.ID, "score-form")
    inspection = phone.current_url

    # The company sees it and answers, on its phone too.
    phone.delete_all_cookies()
    login(phone, server, "wuye01")
    phone.get(inspection)
    wait_text(phone, "万兴苑", "h1")
    phone.find_element(By.ID, "f-answer").send_keys("桶站已清运，消防通道已疏通")
    phone.find_element(By.CSS_SELECTOR, "#answer-form button.primary").click()
    wait_text(phone, "物业已答复", "h1")
    assert "桶站已清运" in phone.find_element(By.ID, "inspection-answer").text
    assert fits(phone)


def test_a_streets_red_and_black_list_for_a_quarter(server, database, browser):
    street_id = database.execute("SELECT lower(id) FROM streets WHERE name = '大屯街道'").fetchone()[0]
    rows = database.execute("""
        SELECT lower(p.id), lower(k.company_id), co.name FROM compounds p JOIN communities c ON c.id = p.community_id JOIN contracts k ON k.compound_id = p.id
        JOIN companies co ON co.id = k.company_id
        WHERE c.street_id = (SELECT id FROM streets WHERE name = '大屯街道') AND k.starts_on <= '2026-07-01' AND (k.ends_on IS NULL OR k.ends_on >= '2026-12-31')
        ORDER BY p.name""").fetchall()
    seen, places = set(), []
    for compound, company, name in rows:
        if company not in seen:
            seen.add(company)
            places.append((compound, company, name))
    assert len(places) >= 2, rows
    street = Api(server, "jiedao01").call
    # The street's rules for this test: the top two at 50 points or more are red.
    status, settings = street("GET", f"/api/v1/streets/{street_id}/assessment-settings")
    settings.update({"redTop": 2, "redMinimum": "50.00", "blackBelow": "50.00", "monthFloor": "0.00"})
    settings.pop("streetId")
    status, body = street("PUT", f"/api/v1/streets/{street_id}/assessment-settings", settings)
    assert status == 200, body
    # Third-quarter inspections: the first company hid a blocked fire lane; the others were clean.
    for n, (compound, company, name) in enumerate(places[:3]):
        status, i = street("POST", "/api/v1/inspections", {"compoundId": compound, "inspectedOn": "2026-08-1%d" % n})
        assert status == 201, i
        lines = [{"code": "F1", "findings": 1, "hazard": "unreported"}] if n == 0 else [{"code": "G1", "findings": 1}]
        assert street("PUT", f"/api/v1/inspections/{i['id']}/lines", {"lines": lines})[0] == 200
        assert street("POST", f"/api/v1/inspections/{i['id']}/submit")[0] == 200
    hidden = places[0][2]

    login(browser, server, "jiedao01")
    browser.find_element(By.CSS_SELECTOR, "nav [data-nav='assessment']").click()
    wait_text(browser, "物业考核", "h1")
    browser.get(server["base"] + f"/assessment/lists?streetId={street_id}&period=2026-Q3")
    wait_text(browser, "红黑榜", "h1")
    assert browser.find_element(By.ID, "list-preview")
    browser.find_element(By.CSS_SELECTOR, "#publish-form button.primary").click()
    wait_text(browser, "黑榜", "h2.list-black")
    assert not browser.find_elements(By.ID, "list-preview")
    black = browser.find_element(By.ID, "list-black").text
    assert hidden in black and "未上报安全隐患" in black
    red_rows = browser.find_elements(By.CSS_SELECTOR, "#list-red tr[data-company]")
    assert 1 <= len(red_rows) <= 2 and all(hidden not in r.text for r in red_rows)
    shot(browser, "red-black-list")
    # The CSV of the same list opens in Excel (BOM, Chinese headings).
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    req = urllib.request.Request(server["base"] + f"/assessment/lists.csv?streetId={street_id}&period=2026-Q3", headers={"Cookie": cookie})
    with urllib.request.urlopen(req) as r:
        text = r.read().decode("utf-8")
    assert text.startswith("\ufeff") and "黑榜" in text and hidden in text
    # A rectification order against the black placing, with its due date.
    browser.find_element(By.CSS_SELECTOR, f"#list-black tr[data-company='{hidden}'] a").click()
    wait_text(browser, hidden, "h1")
    Select(browser.find_element(By.ID, "f-kind")).select_by_value("rectification")
    browser.find_element(By.ID, "f-note").send_keys("消防通道限期清理，社区复查")
    browser.execute_script("document.getElementById('f-dueOn').value = '2027-01-15'")
    browser.find_element(By.CSS_SELECTOR, "#consequence-form button.primary").click()
    wait_text(browser, "限期整改", "#consequences")
    assert "2027-01-15" in browser.find_element(By.ID, "consequences").text
    # The company's history shows the placing.
    browser.find_element(By.LINK_TEXT, "历次上榜记录").click()
    wait_text(browser, "2026-Q3", "#placing-history")
    assert "黑榜" in browser.find_element(By.ID, "placing-history").text
