"""Starts a real gongzhi server on a small demo district and a headless Chromium to drive it."""
import json
import os
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, ".build", "debug", "gongzhi")
SHOTS = os.path.join(ROOT, "screenshots")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    workdir = tempfile.mkdtemp(prefix="gongzhi-browser-")
    db = os.path.join(workdir, "demo.sqlite")
    env = dict(os.environ, LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    subprocess.run([BINARY, "demo", "--scale", "small", "--sqlite", db], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([BINARY, "serve", "--sqlite", db, "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("server did not start: " + proc.stderr.read().decode())
    yield {"base": base, "db": db}
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def database(server):
    """A read-only view of the server's SQLite file, to compare pages with what is stored."""
    conn = sqlite3.connect(f"file:{server['db']}?mode=ro", uri=True)
    yield conn
    conn.close()


def make_driver(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={width},{height}",
                "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # Elements that follow a click appear once the next page has loaded.
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser():
    driver = make_driver(1280, 900)
    yield driver
    driver.quit()


@pytest.fixture
def phone():
    driver = make_driver(360, 740)
    yield driver
    driver.quit()


ACCOUNTS = {
    "district-admin": "quguan01", "street-staff": "jiedao01", "community-staff": "shequ01", "committee-member": "yeweihui01",
    "company-staff": "wuye01", "department-liaison": "bumen01", "owner": "yezhu01", "resident": "jumin01",
    "mediator": "tiaojie01", "service-provider": "weixiu01",
}


def password(username):
    return f"Gz-{username}-2020"


def login(driver, server, username):
    from selenium.webdriver.common.by import By
    driver.get(server["base"] + "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password(username))
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 10).until(lambda d: "/login" not in d.current_url and d.find_elements(By.ID, "who"))


@pytest.fixture
def admin(browser, server):
    login(browser, server, "quguan01")
    return browser


def shot(driver, name):
    os.makedirs(SHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def wait_text(driver, text, css="body"):
    """Waits until the page — the next one, after a click — shows `text` in `css`; a click's page
    load is not instant, and the old page's elements go stale under the reader — as a stale
    reference, a missing element, or Chromium's "Node with given id does not belong to the
    document" when the document is swapped between finding the element and reading its text."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def shows(d):
        try:
            return text in d.find_element(By.CSS_SELECTOR, css).text
        except WebDriverException:
            return False
    WebDriverWait(driver, 10).until(shows)
    return True


def submit_request(driver, photo=None):
    """Submits the filing form; when neighbours' open requests of the same kind are offered first
    ("已有相同诉求"), files anyway (choosing the photo again, as a person would)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    driver.find_element(By.ID, "submit-request").click()

    def landed(d):
        try:
            return d.find_elements(By.ID, "file-anyway") or "GZ" in d.find_element(By.TAG_NAME, "h1").text
        except Exception:
            return False
    WebDriverWait(driver, 10).until(landed)
    if driver.find_elements(By.ID, "file-anyway"):
        if photo:
            driver.find_element(By.ID, "photo").send_keys(photo)
        driver.find_element(By.ID, "file-anyway").click()


class Api:
    """One signed-in API session (a bearer token), so many calls cost one login."""

    def __init__(self, server, username):
        self.base = server["base"]
        status, session = self.call("POST", "/api/v1/auth/login", {"username": username, "password": password(username)})
        assert status == 200, session
        self.token = session["token"]

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if getattr(self, "token", None):
            headers["Authorization"] = "Bearer " + self.token
        r = urllib.request.Request(self.base + path, method=method, data=json.dumps(body).encode() if body is not None else None, headers=headers)
        try:
            with urllib.request.urlopen(r) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")
