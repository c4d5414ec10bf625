"""The registry pages in a real browser: Chinese text, the stored numbers, forms, escaping, phones."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from conftest import shot


def api(server, method, path, body=None):
    req = urllib.request.Request(server["base"] + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def test_tree_shows_the_numbers_the_database_holds(server, database, browser):
    rooms = database.execute("SELECT COUNT(*) FROM rooms").fetchone()[0]
    compounds = database.execute("SELECT COUNT(*) FROM compounds").fetchone()[0]
    area = database.execute("SELECT SUM(area) FROM rooms").fetchone()[0]
    browser.get(server["base"] + "/")
    shot(browser, "tree")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert "辖区台账" in browser.title
    row = browser.find_element(By.XPATH, "//tbody/tr[td/a[text()='大屯街道']]")
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    assert str(compounds) in cells
    assert str(rooms) in cells
    assert f"{area // 100}.{area % 100:02d}" in cells


def test_street_and_compound_pages(server, database, browser):
    browser.get(server["base"] + "/")
    browser.find_element(By.LINK_TEXT, "大屯街道").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "大屯街道"
    communities = database.execute("SELECT COUNT(*) FROM communities").fetchone()[0]
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) == communities
    shot(browser, "street")
    browser.find_element(By.LINK_TEXT, "欧陆经典社区").click()
    browser.find_element(By.LINK_TEXT, "万兴苑").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "万兴苑"
    company = database.execute("""
        SELECT c.name FROM contracts k JOIN companies c ON c.id = k.company_id JOIN compounds p ON p.id = k.compound_id
        WHERE p.name = '万兴苑' AND k.starts_on <= date('now') AND (k.ends_on IS NULL OR k.ends_on >= date('now'))""").fetchone()
    shown = browser.find_element(By.CSS_SELECTOR, ".company-now").text
    assert shown == (company[0] if company else "无物业服务")
    crumbs = browser.find_element(By.CSS_SELECTOR, "nav.crumbs").text
    assert "大屯街道" in crumbs and "欧陆经典社区" in crumbs
    shot(browser, "compound")


def test_a_script_name_is_shown_as_text(server, database, browser):
    community = database.execute("SELECT id FROM communities WHERE name = '欧陆经典社区'").fetchone()[0]
    status, street = api(server, "GET", "/api/v1/communities?limit=500")
    assert status == 200
    community_id = next(c["id"] for c in street["items"] if c["name"] == "欧陆经典社区")
    status, created = api(server, "POST", "/api/v1/compounds", {
        "communityId": community_id, "name": "<script>alert(1)</script>", "address": "x", "housingKind": "commodity",
        "yearBuilt": 2000, "managementMode": "none"})
    assert status == 201, created
    browser.get(server["base"] + "/compounds/" + created["id"])
    assert browser.find_element(By.TAG_NAME, "h1").text == "<script>alert(1)</script>"
    assert browser.execute_script("return document.querySelectorAll('main script').length") == 0
    api(server, "DELETE", "/api/v1/compounds/" + created["id"])
    assert community is not None


def test_a_form_without_its_csrf_token_is_refused(server, browser):
    browser.get(server["base"] + "/manage/departments/new")
    browser.execute_script("document.querySelector('input[name=_csrf]').remove()")
    browser.find_element(By.NAME, "name").send_keys("伪造的部门")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    assert "403" in browser.find_element(By.TAG_NAME, "h1").text
    status, page = api(server, "GET", "/api/v1/departments?limit=500")
    assert all(d["name"] != "伪造的部门" for d in page["items"])


def test_form_errors_are_shown_then_a_good_form_saves(server, browser):
    browser.get(server["base"] + "/manage/departments/new")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    errors = browser.find_element(By.CSS_SELECTOR, ".errors").text
    assert "需要修改" in errors
    assert len(browser.find_elements(By.CSS_SELECTOR, ".field-error")) == 3
    browser.find_element(By.NAME, "name").send_keys("区住建委")
    browser.find_element(By.CSS_SELECTOR, "select[name=districtId] option:nth-child(2)").click()
    browser.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=housing]").click()
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    assert "已保存" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "区住建委" in browser.page_source


def test_english_switch(server, browser):
    browser.get(server["base"] + "/")
    browser.find_element(By.ID, "lang-switch").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "District registry" in browser.title
    browser.find_element(By.ID, "lang-switch").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"


def test_import_page_reports_rejected_rows(server, database, browser):
    before = database.execute("SELECT COUNT(*) FROM rooms").fetchone()[0]
    browser.get(server["base"] + "/registry/import")
    header = browser.find_element(By.CSS_SELECTOR, "main code").text
    csv = header + "\n大屯街道,新社区,新小区,地址,commodity,2001,professional,1号楼,6,false,1单元,101,1,residential,89.50\n" \
                   "大屯街道,新社区,新小区,地址,commodity,2001,professional,1号楼,6,false,1单元,102,1,castle,-1\n"
    browser.execute_script("document.getElementById('csv').value = arguments[0]", csv)
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    result = browser.find_element(By.ID, "import-result").text
    assert "第 3 行" in result and "未导入任何数据" in result
    assert database.execute("SELECT COUNT(*) FROM rooms").fetchone()[0] == before
    shot(browser, "import-rejected")


def test_pages_fit_a_phone(server, phone):
    for path in ["/", "/registry/import", "/manage/companies"]:
        phone.get(server["base"] + path)
        overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 360px phone"
    phone.get(server["base"] + "/")
    shot(phone, "tree-phone")
