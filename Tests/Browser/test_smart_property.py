"""Smart property: a fever raised by simulated thermometer events reaches the street's board
without a reload, an officer acknowledges it and turns it into a request to the company; a
resident registers a visitor on a phone, the pass's QR code reads back as its code, and the
guard's phone page admits the pass once, inside its window only."""
import datetime
import io
import os
import subprocess

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BINARY, ROOT, Api, login, make_driver, shot, wait_text


def compound_id(database, name):
    return database.execute("SELECT id FROM compounds WHERE name = ?", (name,)).fetchone()[0]


def uuid_text(value):
    """SQLite keeps ids as 16 bytes; the API writes them as text."""
    if isinstance(value, bytes):
        h = value.hex()
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    return value.lower()


def test_a_fever_reaches_the_board_live_and_becomes_a_request(server, database, browser):
    community = Api(server, "shequ01")
    compound = uuid_text(compound_id(database, "万兴苑"))
    status, device = community.call("POST", f"/api/v1/compounds/{compound}/devices",
                                    {"kind": "thermometer", "name": "东门测温门", "place": "东门", "vendor": "海康威视"})
    assert status == 201, device
    key = device["key"]
    login(browser, server, "jiedao01")
    browser.get(server["base"] + "/alerts")
    wait_text(browser, "指挥中心告警", "h1")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.getElementById('live-status').textContent") == "实时更新中")
    before = len(browser.find_elements(By.CSS_SELECTOR, "#alert-board tbody tr"))
    browser.execute_script("window.__stayed = 'yes'")
    # The simulator posts thermometer readings through the device API; every second one a fever.
    run = subprocess.run([BINARY, "simulate", "devices", "--url", server["base"], "--key", key, "--rate", "2", "--seconds", "3", "--fever-every", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "alerts raised" in run.stdout
    WebDriverWait(browser, 15).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#alert-board tbody tr a.kind-fever")) > 0)
    # No reload: the page's own state is still there.
    assert browser.execute_script("return window.__stayed") == "yes"
    rows = browser.find_elements(By.CSS_SELECTOR, "#alert-board tbody tr")
    assert len(rows) > before
    first = browser.find_element(By.CSS_SELECTOR, "#alert-board tbody tr.alert-new")
    assert "体温异常" in first.text and "万兴苑" in first.text and "东门" in first.text
    shot(browser, "alerts-board-live")
    first.find_element(By.CSS_SELECTOR, "a.kind-fever").click()
    wait_text(browser, "体温异常", "h1")
    temperature = browser.find_element(By.ID, "alert-temperature").text
    assert temperature.endswith("°C") and float(temperature.split()[0]) >= 37.3
    browser.find_element(By.CSS_SELECTOR, "#ack-form button").click()
    wait_text(browser, "已确认", "#alert-status")
    browser.find_element(By.CSS_SELECTOR, "#request-form textarea[name=note]").send_keys("请物业到东门复测")
    browser.find_element(By.CSS_SELECTOR, "#request-form button").click()
    wait_text(browser, "GZ", "h1")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "超过发热阈值" in body and "请物业到东门复测" in body
    shot(browser, "alert-request")
    # The alert now links to its request and is being handled.
    row = database.execute("SELECT status, request_id FROM alerts WHERE request_id IS NOT NULL").fetchone()
    assert row[0] == "handling"


def test_a_visitor_pass_on_a_phone_is_admitted_once_inside_its_window(server, database, phone):
    login(phone, server, "jumin01")
    phone.get(server["base"] + "/visitors")
    wait_text(phone, "访客登记", "h1")
    phone.find_element(By.ID, "f-visitorName").send_keys("王阿姨")
    people = phone.find_element(By.ID, "f-people")
    people.clear()
    people.send_keys("2")
    phone.find_element(By.ID, "f-plate").send_keys("京A12345")
    # Today, all day (Beijing): the window holds now.
    beijing = datetime.datetime.utcnow() + datetime.timedelta(hours=8)
    phone.execute_script("document.getElementById('f-day').value = arguments[0];"
                         "document.getElementById('f-from').value = '00:00'; document.getElementById('f-to').value = '23:59';", beijing.strftime("%Y-%m-%d"))
    phone.find_element(By.CSS_SELECTOR, "#visitor-form button.primary").click()
    wait_text(phone, "访客通行证", "h1")
    code = phone.find_element(By.ID, "pass-code").get_attribute("data-code")
    assert len(code) == 8
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "the pass is wider than the phone"
    shot(phone, "visitor-pass-phone")
    # The QR code on the page reads back as the pass (zxing-cpp decodes the rendered image).
    import zxingcpp
    from PIL import Image
    image = Image.open(io.BytesIO(phone.find_element(By.ID, "pass-qr").screenshot_as_png))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == ["GZPASS:" + code]
    # A pass for tomorrow, through the API, is not yet valid at the gate.
    resident = Api(server, "jumin01")
    status, rooms = resident.call("GET", "/api/v1/visitor-passes")
    room = rooms["items"][0]["roomId"]
    tomorrow = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).replace(microsecond=0)
    status, later = resident.call("POST", "/api/v1/visitor-passes", {"roomId": room, "visitorName": "李师傅", "validFrom": tomorrow.isoformat(),
                                                                     "validTo": (tomorrow + datetime.timedelta(hours=2)).isoformat()})
    assert status == 201, later
    guard = make_driver(390, 844)
    try:
        login(guard, server, "wuye01")
        guard.get(server["base"] + "/gate")
        wait_text(guard, "门岗验证", "h1")

        def check(text):
            # The answer is a new page: wait for the previous verdict (if any) to go before reading the new one.
            previous = guard.find_elements(By.ID, "gate-verdict")
            guard.find_element(By.ID, "f-code").send_keys(text)
            guard.find_element(By.CSS_SELECTOR, "#gate-form button.primary").click()
            if previous:
                # Gone: stale, or (chromedriver's other answer while the page is replaced) not in the document.
                def gone(_):
                    try:
                        previous[0].is_enabled()
                        return False
                    except WebDriverException:
                        return True
                WebDriverWait(guard, 10).until(gone)
            WebDriverWait(guard, 10).until(lambda d: d.find_elements(By.ID, "gate-verdict"))
            return guard.find_element(By.ID, "gate-verdict")

        first = check(code[:4].lower() + " " + code[4:])
        assert first.get_attribute("data-verdict") == "admitted"
        assert "验证通过" in first.text and "王阿姨" in first.text and "2 人" in first.text
        shot(guard, "gate-admitted-phone")
        assert check(code).get_attribute("data-verdict") == "used"
        assert check(later["code"]).get_attribute("data-verdict") == "not_yet"
        assert check("ZZZZ2222").get_attribute("data-verdict") == "unknown"
        shot(guard, "gate-refused-phone")
    finally:
        guard.quit()
    # The resident's page shows the pass used; the entry is recorded as a visitor entry.
    phone.refresh()
    wait_text(phone, "已使用", "#pass-status")
    assert database.execute("SELECT COUNT(*) FROM device_events WHERE kind = 'visitor_entry'").fetchone()[0] >= 1
