"""Owners vote on a phone and the published result shows both ratios (by owners and by area)."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from conftest import login, password, shot


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
        "title": "使用公维资金更换消防报警主机", "matter": "use_maintenance_fund",
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
    phone.find_element(By.ID, "cast").click()
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
