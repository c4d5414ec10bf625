"""The first hour of everyday use: an owner finds an open vote on the start page and votes without
seeing anyone's choice; staff find a request by its number; the street records the report of a
department that has no account."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import login, shot, wait_text
from test_decisions import call


def test_an_owner_finds_the_open_vote_on_the_start_page_and_sees_no_choices_before_close(server, database, phone):
    compound = database.execute("SELECT id FROM compounds WHERE name = '万兴苑'").fetchone()[0].lower()
    status, decision = call(server, "yeweihui01", "POST", f"/api/v1/compounds/{compound}/decisions", {
        "title": "维修资金更换2号楼外墙保温", "matter": "use_maintenance_fund", "amount": "380000.00",
        "description": "2号楼外墙保温层脱落，拟使用专项维修资金整体更换。",
        "opensAt": "2020-01-01T00:00:00Z", "closesAt": "2099-01-01T00:00:00Z"})
    assert status == 201, decision
    assert call(server, "yeweihui01", "POST", f"/api/v1/decisions/{decision['id']}/open")[0] == 200

    login(phone, server, "yezhu01")
    phone.get(server["base"] + "/")
    item = phone.find_element(By.XPATH, "//section[@id='open-votes']//li[a[text()='维修资金更换2号楼外墙保温']]")
    assert "尚未投票" in item.text and "天" in item.text
    shot(phone, "home-open-vote-phone")
    item.find_element(By.TAG_NAME, "a").click()
    wait_text(phone, "维修资金更换2号楼外墙保温", "h1")
    assert "整体更换" in phone.find_element(By.ID, "decision-description").text
    assert "380,000.00 元" in phone.find_element(By.ID, "decision-amount").text
    assert "您代表的房屋" in phone.find_element(By.ID, "representing").text
    phone.find_element(By.CSS_SELECTOR, "label.choice-no").click()
    phone.find_element(By.ID, "cast").click()
    alert = WebDriverWait(phone, 5).until(lambda d: d.switch_to.alert)
    assert "不能更改" in alert.text
    alert.accept()
    assert "回执码" in phone.find_element(By.ID, "ballot-message").text

    # the start page now says so; the publication shows participation only, no room's choice
    phone.get(server["base"] + "/")
    assert "已投票" in phone.find_element(By.XPATH, "//section[@id='open-votes']//li[a[text()='维修资金更换2号楼外墙保温']]").text
    phone.get(server["base"] + f"/decisions/{decision['id']}/publication")
    assert phone.find_element(By.ID, "participation")
    assert "万兴苑业主大会" in phone.find_element(By.ID, "publication-issuer").text
    page = phone.find_element(By.ID, "main").text
    assert "反对" not in page and "参与表决的房屋" not in page
    _, result = call(server, "yezhu01", "GET", f"/api/v1/decisions/{decision['id']}/result")
    assert result["persons"]["participating"] >= 1 and result["persons"]["no"] is None and result["passed"] is None

    # closed early with a reason: the result and each room's choice appear, with the reason and the actual end
    assert call(server, "yeweihui01", "POST", f"/api/v1/decisions/{decision['id']}/close", {"reason": "业主已全部表决"})[0] == 200
    phone.get(server["base"] + f"/decisions/{decision['id']}/publication")
    assert "业主已全部表决" in phone.find_element(By.ID, "early-close").text
    assert "参与表决的房屋" in phone.find_element(By.ID, "main").text
    # the page itself never scrolls sideways on a phone (tables scroll inside their box)
    assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(phone, "publication-closed-phone")


def test_staff_find_a_request_by_its_number(server, database, browser):
    street = database.execute("SELECT s.id FROM streets s WHERE s.name = '大屯街道'").fetchone()[0]
    number, description = database.execute(
        "SELECT number, description FROM requests WHERE street_id = ? ORDER BY received_at DESC LIMIT 1", (street,)).fetchone()
    login(browser, server, "jiedao01")
    browser.get(server["base"] + "/requests")
    box = browser.find_element(By.ID, "filter-q")
    box.send_keys(number)
    box.submit()
    wait_text(browser, number, "#request-list")
    rows = browser.find_elements(By.CSS_SELECTOR, "#request-list > li")
    assert len(rows) == 1 and number in rows[0].text
    assert browser.find_element(By.ID, "filter-q").get_attribute("value") == number


def test_the_street_records_the_report_of_a_department_without_an_account(server, database, browser):
    compound = database.execute("SELECT id FROM compounds WHERE name = '万兴苑'").fetchone()[0].lower()
    department = database.execute("""
        SELECT d.id, d.name FROM departments d WHERE NOT EXISTS (
          SELECT 1 FROM role_grants g JOIN users u ON u.id = g.user_id WHERE lower(g.scope_id) = lower(d.id) AND u.disabled = 0)
        ORDER BY d.name LIMIT 1""").fetchone()
    assert department, "the demo has departments without a liaison account"
    report_by = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, case = call(server, "jiedao01", "POST", "/api/v1/whistle-cases", {
        "title": "万兴苑北侧道路积水", "compoundId": compound, "description": "雨后积水深达30厘米",
        "parties": [{"kind": "department", "departmentId": department[0].lower(), "reportBy": report_by}]})
    assert status == 201, case
    party = case["parties"][0]["id"]

    login(browser, server, "jiedao01")
    browser.get(server["base"] + f"/whistle-cases/{case['id']}")
    assert "代为登记" in browser.find_element(By.ID, "parties").text
    form = browser.find_element(By.ID, f"report-{party}")
    form.find_element(By.NAME, "response").send_keys("已派员到场疏通雨水井")
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_text(browser, "已派员到场疏通雨水井", "#parties")
    assert "代" in browser.find_element(By.ID, f"on-behalf-{party}").text
    shot(browser, "whistle-on-behalf")


def test_a_resident_joins_the_open_request_instead_of_filing_it_again(server, database, phone):
    compound, room = database.execute("""
        SELECT lower(b.compound_id), lower(s.room_id) FROM residents s JOIN users u ON u.username = 'jumin01' JOIN role_grants g ON g.user_id = u.id
        JOIN rooms r ON r.id = s.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
        WHERE lower(s.id) = lower(g.scope_id)""").fetchone()
    status, filed = call(server, "jiedao01", "POST", "/api/v1/requests", {
        "channel": "phone", "category": "sanitation", "compoundId": compound, "description": "垃圾桶满溢两天无人清运",
        "reporterName": "来电居民", "reporterPhone": "13800000001"})
    assert status == 201, filed

    login(phone, server, "jumin01")
    phone.get(server["base"] + "/requests/new")
    phone.find_element(By.CSS_SELECTOR, "label[for=category-sanitation], #category-sanitation").click()
    phone.find_element(By.CSS_SELECTOR, "textarea[name=description]").send_keys("楼下垃圾没人收")
    phone.find_element(By.ID, "submit-request").click()
    wait_text(phone, "已有相同诉求", "#similar")
    assert filed["number"] in phone.find_element(By.ID, "similar").text
    assert phone.find_element(By.CSS_SELECTOR, "textarea[name=description]").get_attribute("value") == "楼下垃圾没人收"
    shot(phone, "request-similar-phone")
    phone.find_element(By.ID, f"join-{filed['id']}").click()
    wait_text(phone, "已加入该诉求")
    assert filed["number"] in phone.find_element(By.TAG_NAME, "h1").text
    assert database.execute("SELECT COUNT(*) FROM requests WHERE description = '楼下垃圾没人收'").fetchone()[0] == 0
