"""A resident files a request from a phone, the company responds and resolves it, the resident
rates it, and the monthly ranking shows the new rates."""
import json
import os
import struct
import tempfile
import urllib.request
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import wait_text, login, password, shot


def api(server, username, path):
    def req(p, m, b=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        r = urllib.request.Request(server["base"] + p, method=m, data=json.dumps(b).encode() if b is not None else None, headers=headers)
        with urllib.request.urlopen(r) as resp:
            return json.loads(resp.read() or b"null")
    session = req("/api/v1/auth/login", "POST", {"username": username, "password": password(username)})
    return req(path, "GET", None, session["token"])


def tiny_png():
    """A real 2×2 PNG, so the page can show it."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path = os.path.join(tempfile.mkdtemp(), "photo.png")
    with open(path, "wb") as f:
        f.write(png)
    return path


def heading_shows(driver, text):
    """Waits for the next page's heading to show `text`."""
    return wait_text(driver, text, "main h1")


def company_row(server, company_name, month):
    items = api(server, "quguan01", f"/api/v1/rankings?month={month}&level=company")["items"]
    return next((i for i in items if i["name"] == company_name), None)


def test_resident_files_company_resolves_resident_rates_ranking_updates(server, database, phone, browser):
    # this month in Beijing, where the request is filed (the ranking's default is the last complete month)
    import datetime
    month = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m")
    assert api(server, "quguan01", "/api/v1/rankings")["month"] < month
    company = database.execute("""
        SELECT c.name FROM users u JOIN role_grants g ON g.user_id = u.id JOIN companies c ON c.id = g.scope_id WHERE u.username = 'wuye01'
        """).fetchone()[0]
    before = company_row(server, company, month)
    before_count = before["requests"] if before else 0

    # the resident files from a phone in a few taps
    login(phone, server, "yezhu01")
    phone.get(server["base"] + "/requests/new")
    # the owner's own room is chosen already, and their name is filled in from the record
    room = phone.find_element(By.ID, "roomId")
    room_label = room.find_element(By.CSS_SELECTOR, "option:checked").text
    assert room_label
    assert phone.find_element(By.ID, "reporterName").get_attribute("value")
    phone.find_element(By.ID, "reporterPhone").clear()
    phone.find_element(By.ID, "reporterPhone").send_keys("13900001111")
    phone.find_element(By.CSS_SELECTOR, "label.choice input[value='shared_facilities']").click()
    phone.find_element(By.ID, "description").send_keys("5号楼楼道灯不亮，晚上看不见台阶")
    picture = tiny_png()
    phone.find_element(By.ID, "photo").send_keys(picture)
    shot(phone, "request-new-phone")
    assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    from conftest import submit_request
    submit_request(phone, photo=picture)
    assert heading_shows(phone, "GZ")
    number = phone.find_element(By.CSS_SELECTOR, "main h1").text.split()[0]
    assert number.startswith("GZ")
    assert "已派单" in phone.find_element(By.CSS_SELECTOR, "main h1").text
    assert company in phone.find_element(By.ID, "request-facts").text
    assert len(phone.find_elements(By.CSS_SELECTOR, ".photos img")) == 1
    shot(phone, "request-filed-phone")
    request_url = phone.current_url

    # the company finds it in its queue, responds and resolves it with a reply
    login(browser, server, "wuye01")
    browser.get(server["base"] + "/requests?mine=1")
    browser.find_element(By.LINK_TEXT, number).click()
    # the company sees who to call back, in full, and which room
    facts = browser.find_element(By.ID, "request-facts").text
    assert "13900001111" in facts
    assert room_label.split(" ", 1)[1] in facts
    browser.find_element(By.ID, "do-respond").click()
    assert heading_shows(browser, "已响应")
    browser.find_element(By.CSS_SELECTOR, "#form-resolve textarea").send_keys("已更换5号楼2单元楼道声控灯")
    browser.find_element(By.ID, "do-resolve").click()
    assert heading_shows(browser, "已办结")
    # and shows the finished work
    browser.find_element(By.ID, "add-photo").send_keys(tiny_png())
    browser.find_element(By.CSS_SELECTOR, "#photo-form button").click()
    assert wait_text(browser, "照片已上传")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#completion-photos img")) == 1
    shot(browser, "request-resolved-company")

    # the resident sees the finished work, then rates it on the phone
    phone.get(request_url)
    assert "已更换5号楼2单元楼道声控灯" in phone.find_element(By.ID, "reply").text
    done = phone.find_element(By.CSS_SELECTOR, "#completion-photos img")
    assert phone.execute_script("return arguments[0].naturalWidth", done) == 2
    phone.find_element(By.ID, "resolved-yes").click()
    phone.find_element(By.ID, "satisfaction-satisfied").click()
    phone.find_element(By.ID, "do-rate").click()
    assert heading_shows(phone, "已评价")
    events = [li.get_attribute("data-event") for li in phone.find_elements(By.CSS_SELECTOR, "#timeline li")]
    assert events == ["receive", "dispatch", "respond", "resolve", "rate"]
    shot(phone, "request-rated-phone")

    # the ranking page shows the company with the new request counted and the computed rates
    after = company_row(server, company, month)
    assert after["requests"] == before_count + 1
    login(browser, server, "quguan01")
    browser.get(server["base"] + f"/rankings?month={month}&level=company")
    # ranked, or listed apart when the company has too few ratings this month
    table = browser.find_element(By.ID, "main").text
    row = next(line for line in table.splitlines() if company in line and "%" in line)
    assert after["responseRate"]["percent"] + "%" in row
    assert after["satisfactionRate"]["percent"] + "%" in row
    assert after["composite"] in row
    assert (after["rank"] is None) == ("样本不足" in row)
    if browser.find_elements(By.CSS_SELECTOR, "#ranking-table tbody tr"):
        assert browser.find_elements(By.CSS_SELECTOR, "#ranking-chart rect")
    shot(browser, "rankings")
