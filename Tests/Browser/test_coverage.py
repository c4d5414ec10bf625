"""The district's three rates drilled down to a compound that misses one: district → street →
community → the compounds missing the committee rate → the compound's page; the CSV opens in Excel
(UTF-8 with a byte-order mark); a phone shows the figures without sideways scrolling."""
import datetime
import urllib.request

from selenium.webdriver.common.by import By

from conftest import login, shot, wait_text


def test_the_coverage_dashboard_drills_from_the_district_to_a_compound_missing_a_rate(server, database, browser, phone):
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date().isoformat()
    compounds = database.execute("SELECT COUNT(*) FROM compounds").fetchone()[0]
    with_committee = database.execute("""
        SELECT COUNT(*) FROM compounds p WHERE EXISTS (SELECT 1 FROM committees k WHERE k.compound_id = p.id
        AND k.kind IN ('owners_committee', 'management_committee') AND k.term_start <= ? AND (k.term_end IS NULL OR k.term_end >= ?))""",
                                      (today, today)).fetchone()[0]

    login(browser, server, "quguan01")
    browser.find_element(By.CSS_SELECTOR, "nav [data-nav='coverage']").click()
    wait_text(browser, "三率统计", "h1")
    figure = browser.find_element(By.CSS_SELECTOR, "#coverage-figures [data-rate='committee']").text
    assert f"{with_committee}/{compounds}" in figure, figure
    assert browser.find_elements(By.CSS_SELECTOR, "#coverage-trend polyline[data-rate='service']")
    # district → the street → a community with a compound missing the committee rate
    browser.find_element(By.CSS_SELECTOR, "#coverage-children tr[data-unit='大屯街道'] a").click()
    wait_text(browser, "大屯街道", "h1")
    community = None
    for row in browser.find_elements(By.CSS_SELECTOR, "#coverage-children tbody tr"):
        text = row.find_element(By.CSS_SELECTOR, "a.rate-link[data-rate='committee']").text
        done, total = text.split("(")[-1].rstrip(")").split("/")
        if int(done) < int(total):
            community = row.get_attribute("data-unit")
            break
    assert community, "a community of the demo street misses the committee rate somewhere"
    browser.find_element(By.CSS_SELECTOR, f"#coverage-children tr[data-unit='{community}'] a").click()
    wait_text(browser, community, "h1")
    crumbs = browser.find_element(By.CSS_SELECTOR, "nav.crumbs").text
    assert "大屯街道" in crumbs
    browser.find_element(By.CSS_SELECTOR, "#coverage-figures [data-rate='committee']").click()
    wait_text(browser, "未达到业委会（物管会）组建率的小区", "#missing-heading")
    rows = browser.find_elements(By.CSS_SELECTOR, "#missing-list tbody tr")
    assert rows and all("✗ 未覆盖" in r.find_elements(By.TAG_NAME, "td")[3].text for r in rows)
    name = rows[0].get_attribute("data-compound")
    shot(browser, "coverage-missing")
    in_term = database.execute("""
        SELECT COUNT(*) FROM committees k JOIN compounds p ON p.id = k.compound_id WHERE p.name = ? AND k.kind IN ('owners_committee', 'management_committee')
        AND k.term_start <= ? AND (k.term_end IS NULL OR k.term_end >= ?)""", (name, today, today)).fetchone()[0]
    assert in_term == 0
    rows[0].find_element(By.TAG_NAME, "a").click()
    wait_text(browser, name, "h1")

    # the CSV of the district's compounds, for Excel
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(server["base"] + "/coverage.csv", headers={"Cookie": cookies})
    with urllib.request.urlopen(request) as r:
        assert r.headers["Content-Type"].startswith("text/csv")
        data = r.read()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").strip().split("\r\n")
    assert lines[0].split(",") == ["街道(乡)", "社区", "小区", "业委会（物管会）组建率", "物业服务覆盖率", "党的组织和工作覆盖率"]
    assert len(lines) == 1 + compounds
    assert sum(1 for l in lines[1:] if l.split(",")[3] == "是") == with_committee

    # a street officer on a phone: the figures fit the screen
    login(phone, server, "jiedao01")
    phone.get(server["base"] + "/coverage")
    wait_text(phone, "大屯街道", "h1")
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone, "coverage-phone")
