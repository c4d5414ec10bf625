"""Owners vote on a phone and the published result shows both ratios (by owners and by area)."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from conftest import wait_text, login, password, shot


def call(server, username, method, path, body=None):
    def req(p, m, b, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        r = urllib.request.Request(server["base"] + p, method=m, data=json.dumps(b).encode() if b is not None else None, headers=headers)
        try:
            with urllib.request.urlopen(r) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")
    _, session = req("/api/v1/auth/login", "POST", {"username": username, "password": password(username)})
    return req(path, method, body, session["token"])


def test_owner_votes_on_a_phone_and_the_publication_shows_both_ratios(server, database, phone):
    compound = database.execute("SELECT id FROM compounds WHERE name = '万兴苑'").fetchone()[0].lower()
    status, decision = call(server, "yeweihui01", "POST", f"/api/v1/compounds/{compound}/decisions", {
        "title": "使用公维资金更换消防报警主机", "matter": "use_maintenance_fund", "amount": "38000.00",
        "opensAt": "2020-01-01T00:00:00Z", "closesAt": "2099-01-01T00:00:00Z"})
    assert status == 201, decision
    status, opened = call(server, "yeweihui01", "POST", f"/api/v1/decisions/{decision['id']}/open")
    assert status == 200, opened

    login(phone, server, "yezhu01")
    phone.get(server["base"] + f"/decisions/{decision['id']}/ballot")
    phone.find_element(By.CSS_SELECTOR, "label.choice-yes").click()
    shot(phone, "ballot-phone")
    overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert "您代表的房屋" in phone.find_element(By.ID, "representing").text
    assert "38,000.00 元" in phone.find_element(By.ID, "decision-amount").text
    phone.find_element(By.ID, "cast").click()
    # a ballot is final: the browser asks first
    from selenium.webdriver.support.ui import WebDriverWait
    alert = WebDriverWait(phone, 5).until(lambda d: d.switch_to.alert)
    assert "不能更改" in alert.text
    alert.accept()
    message = phone.find_element(By.ID, "ballot-message").text
    assert "回执码" in message
    receipt = message.split("：")[-1].strip()
    status, verified = call(server, "yezhu01", "GET", f"/api/v1/decisions/{decision['id']}/verify?receipt={receipt}")
    assert verified["valid"] and verified["receiptFound"]

    status, closed = call(server, "yeweihui01", "POST", f"/api/v1/decisions/{decision['id']}/close", {"reason": "测试提前结束"})
    assert status == 200, closed
    status, published = call(server, "yeweihui01", "POST", f"/api/v1/decisions/{decision['id']}/publish")
    assert status == 200, published
    status, result = call(server, "yezhu01", "GET", f"/api/v1/decisions/{decision['id']}/result")

    phone.get(server["base"] + f"/decisions/{decision['id']}/publication")
    table = phone.find_element(By.ID, "result-table").text
    assert "按人数" in table and "按专有部分面积" in table
    yes_row = phone.find_element(By.XPATH, "//table[@id='result-table']//tr[td/strong[text()='同意']]")
    cells = [c.text for c in yes_row.find_elements(By.TAG_NAME, "td")]
    assert cells[1] == str(result["persons"]["yes"])
    assert cells[4] == result["area"]["yes"]
    assert cells[2] == "100.00%" and cells[5] == "100.00%"
    rooms = phone.find_elements(By.XPATH, "//h2[contains(text(),'参与表决的房屋')]/following-sibling::div[1]//tbody/tr")
    assert len(rooms) >= 1
    voter_names = [row[0] for row in database.execute(
        "SELECT o.name FROM owners o JOIN users u ON u.username = 'yezhu01' JOIN role_grants g ON g.user_id = u.id WHERE lower(o.id) = lower(g.scope_id)")]
    assert voter_names and all(name not in phone.page_source for name in voter_names)
    assert "选票链完整" in phone.find_element(By.ID, "chain").text
    shot(phone, "publication-phone")


def test_organisers_record_and_confirm_a_paper_ballot_and_the_owner_disputes_it(server, database, browser, phone):
    compound = database.execute("SELECT id FROM compounds WHERE name = '万兴苑'").fetchone()[0].lower()
    status, decision = call(server, "yeweihui01", "POST", f"/api/v1/compounds/{compound}/decisions", {
        "title": "续聘物业服务企业", "matter": "other_major", "opensAt": "2020-01-01T00:00:00Z", "closesAt": "2099-01-01T00:00:00Z"})
    assert status == 201, decision
    status, opened = call(server, "yeweihui01", "POST", f"/api/v1/decisions/{decision['id']}/open")
    assert status == 200, opened
    _, me = call(server, "yezhu01", "GET", "/api/v1/auth/me")
    _, mine = call(server, "yezhu01", "GET", f"/api/v1/decisions/{decision['id']}/paper-ballots")
    assert len(mine["items"]) == 1
    number = mine["items"][0]["number"]

    # the committee records the owner's sheet on the register page; it is not counted yet
    login(browser, server, "yeweihui01")
    browser.get(server["base"] + f"/decisions/{decision['id']}/paper-ballots")
    browser.find_element(By.ID, "paper-number").send_keys(number)
    browser.find_element(By.CSS_SELECTOR, "#paper-record button[type=submit]").click()
    assert wait_text(browser, "待另一名组织者复核")
    shot(browser, "paper-register")
    # the street's staff confirms it, and it counts
    login(browser, server, "jiedao01")
    browser.get(server["base"] + f"/decisions/{decision['id']}/paper-ballots")
    browser.find_element(By.ID, f"confirm-{number}").click()
    _, result = call(server, "yezhu01", "GET", f"/api/v1/decisions/{decision['id']}/result")
    assert result["persons"]["participating"] == 1

    # the owner sees on the phone who recorded it and when, and disputes it
    login(phone, server, "yezhu01")
    phone.get(server["base"] + f"/decisions/{decision['id']}/ballot")
    assert number in phone.find_element(By.ID, "paper-number").text
    assert "yeweihui01" in phone.find_element(By.ID, "paper-recorded").text
    shot(phone, "paper-ballot-owner")
    phone.find_element(By.NAME, "reason").send_keys("我没有填写过书面表决票")
    phone.find_element(By.ID, "dispute").click()
    assert wait_text(phone, "不计入结果")
    _, result = call(server, "yezhu01", "GET", f"/api/v1/decisions/{decision['id']}/result")
    assert result["persons"]["participating"] == 0
    assert result["setAside"][0]["number"] == number
