"""The registry pages in a real browser: Chinese text, the stored numbers, forms, escaping, phones."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from conftest import wait_text, shot, password

_TOKEN = {}


def token(server):
    if "admin" not in _TOKEN:
        req = urllib.request.Request(server["base"] + "/api/v1/auth/login", method="POST",
                                     data=json.dumps({"username": "quguan01", "password": password("quguan01")}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            _TOKEN["admin"] = json.loads(r.read())["token"]
    return _TOKEN["admin"]


def api(server, method, path, body=None):
    req = urllib.request.Request(server["base"] + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token(server)})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def test_tree_shows_the_numbers_the_database_holds(server, database, admin):
    rooms = database.execute("SELECT COUNT(*) FROM rooms").fetchone()[0]
    compounds = database.execute("SELECT COUNT(*) FROM compounds").fetchone()[0]
    area = database.execute("SELECT SUM(area) FROM rooms").fetchone()[0]
    admin.get(server["base"] + "/")
    shot(admin, "tree")
    assert admin.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert "辖区台账" in admin.title
    row = admin.find_element(By.XPATH, "//tbody/tr[td/a[text()='大屯街道']]")
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    assert str(compounds) in cells
    assert str(rooms) in cells
    # areas on pages are grouped by thousands
    assert f"{area // 100:,}.{area % 100:02d}" in cells


def test_street_and_compound_pages(server, database, admin):
    admin.get(server["base"] + "/")
    admin.find_element(By.LINK_TEXT, "大屯街道").click()
    assert wait_text(admin, "大屯街道", "h1")
    communities = database.execute("SELECT COUNT(*) FROM communities").fetchone()[0]
    assert len(admin.find_elements(By.CSS_SELECTOR, "tbody tr")) == communities
    shot(admin, "street")
    admin.find_element(By.LINK_TEXT, "欧陆经典社区").click()
    admin.find_element(By.LINK_TEXT, "万兴苑").click()
    assert wait_text(admin, "万兴苑", "h1")
    company = database.execute("""
        SELECT c.name FROM contracts k JOIN companies c ON c.id = k.company_id JOIN compounds p ON p.id = k.compound_id
        WHERE p.name = '万兴苑' AND k.starts_on <= date('now') AND (k.ends_on IS NULL OR k.ends_on >= date('now'))""").fetchone()
    shown = admin.find_element(By.CSS_SELECTOR, ".company-now").text
    assert shown == (company[0] if company else "无物业服务")
    crumbs = admin.find_element(By.CSS_SELECTOR, "nav.crumbs").text
    assert "大屯街道" in crumbs and "欧陆经典社区" in crumbs
    shot(admin, "compound")


def test_a_script_name_is_shown_as_text(server, database, admin):
    community = database.execute("SELECT id FROM communities WHERE name = '欧陆经典社区'").fetchone()[0]
    status, street = api(server, "GET", "/api/v1/communities?limit=500")
    assert status == 200
    community_id = next(c["id"] for c in street["items"] if c["name"] == "欧陆经典社区")
    status, created = api(server, "POST", "/api/v1/compounds", {
        "communityId": community_id, "name": "<script>alert(1)</script>", "address": "x", "housingKind": "commodity",
        "yearBuilt": 2000, "managementMode": "none"})
    assert status == 201, created
    admin.get(server["base"] + "/compounds/" + created["id"])
    assert admin.find_element(By.TAG_NAME, "h1").text == "<script>alert(1)</script>"
    assert admin.execute_script("return document.querySelectorAll('main script').length") == 0
    api(server, "DELETE", "/api/v1/compounds/" + created["id"])
    assert community is not None


def test_a_form_without_its_csrf_token_is_refused(server, admin):
    admin.get(server["base"] + "/manage/departments/new")
    admin.execute_script("document.querySelector('form.record-form input[name=_csrf]').remove()")
    admin.find_element(By.NAME, "name").send_keys("伪造的部门")
    admin.find_element(By.CSS_SELECTOR, "button.primary").click()
    assert wait_text(admin, "403", "h1")
    status, page = api(server, "GET", "/api/v1/departments?limit=500")
    assert all(d["name"] != "伪造的部门" for d in page["items"])


def test_form_errors_are_shown_then_a_good_form_saves(server, admin):
    admin.get(server["base"] + "/manage/departments/new")
    admin.find_element(By.CSS_SELECTOR, "button.primary").click()
    errors = admin.find_element(By.CSS_SELECTOR, ".errors").text
    assert "需要修改" in errors
    assert len(admin.find_elements(By.CSS_SELECTOR, ".field-error")) == 3
    admin.find_element(By.NAME, "name").send_keys("区住建委")
    admin.find_element(By.CSS_SELECTOR, "select[name=districtId] option:nth-child(2)").click()
    admin.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=housing]").click()
    admin.find_element(By.CSS_SELECTOR, "button.primary").click()
    assert wait_text(admin, "已保存", ".flash")
    assert "区住建委" in admin.page_source


def test_english_switch(server, admin):
    admin.get(server["base"] + "/")
    admin.find_element(By.ID, "lang-switch").click()
    assert admin.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "District registry" in admin.title
    admin.find_element(By.ID, "lang-switch").click()
    assert admin.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"


def test_import_page_reports_rejected_rows(server, database, admin):
    before = database.execute("SELECT COUNT(*) FROM rooms").fetchone()[0]
    admin.get(server["base"] + "/registry/import")
    header = admin.find_element(By.CSS_SELECTOR, "main code").text
    csv = header + "\n大屯街道,新社区,新小区,地址,commodity,2001,professional,1号楼,6,false,1单元,101,1,residential,89.50\n" \
                   "大屯街道,新社区,新小区,地址,commodity,2001,professional,1号楼,6,false,1单元,102,1,castle,-1\n"
    admin.execute_script("document.getElementById('csv').value = arguments[0]", csv)
    admin.find_element(By.CSS_SELECTOR, "button.primary").click()
    result = admin.find_element(By.ID, "import-result").text
    assert "第 3 行" in result and "未导入任何数据" in result
    assert database.execute("SELECT COUNT(*) FROM rooms").fetchone()[0] == before
    shot(admin, "import-rejected")


def test_pages_fit_a_phone(server, phone):
    from conftest import login
    login(phone, server, "quguan01")
    for path in ["/", "/registry/import", "/manage/companies"]:
        phone.get(server["base"] + path)
        overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 360px phone"
    phone.get(server["base"] + "/")
    shot(phone, "tree-phone")
