"""A compound without a committee: the street starts the life cycle, forms the preparatory group on
its page (its list posted to the compound), the owners elect through an elect_committee decision
(paper sheets recorded by the street and confirmed by the district), the elected committee is
installed and filed; when its term nears its end the reminder shows and starts the re-election."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import Api, login, shot, wait_text


def beijing_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def test_preparatory_group_through_election_to_a_filed_committee_and_its_renewal(server, database, browser):
    today = beijing_today()
    compound, name = database.execute("""
        SELECT lower(p.id), p.name FROM compounds p JOIN communities c ON c.id = p.community_id JOIN streets s ON s.id = c.street_id
        WHERE s.name = '大屯街道' AND p.name <> '万兴苑'
        AND NOT EXISTS (SELECT 1 FROM committees k WHERE k.compound_id = p.id AND k.kind IN ('owners_committee', 'management_committee')
                        AND k.term_start <= ? AND (k.term_end IS NULL OR k.term_end >= ?))
        AND NOT EXISTS (SELECT 1 FROM committee_cycles y WHERE y.compound_id = p.id)
        ORDER BY p.name LIMIT 1""", (today.isoformat(), today.isoformat())).fetchone()

    # the street starts the cycle on the developer's report
    login(browser, server, "jiedao01")
    browser.get(server["base"] + "/committees")
    Select(browser.find_element(By.CSS_SELECTOR, "#trigger-form #f-compoundId")).select_by_value(compound)
    Select(browser.find_element(By.CSS_SELECTOR, "#trigger-form #f-trigger")).select_by_value("developer_report")
    browser.find_element(By.CSS_SELECTOR, "#trigger-form button.primary").click()
    wait_text(browser, name, "h1")
    cycle_url = browser.current_url
    assert "待组建筹备组" in browser.find_element(By.CSS_SELECTOR, "#cycle-steps li.current").text
    assert (today + datetime.timedelta(days=60)).isoformat() in browser.find_element(By.ID, "cycle-facts").text

    # the preparatory group: seven members, six of them owners, the second the leader
    members = ["赵立新", "钱文华", "孙玉兰", "李德明", "周红梅", "吴建军", "郑秀云（社区）"]
    for i, m in enumerate(members):
        browser.find_element(By.ID, f"f-members[{i}].name").send_keys(m)
    owner_box = browser.find_element(By.CSS_SELECTOR, "input[name='members[6].owner']")
    if owner_box.is_selected():
        owner_box.click()
    browser.find_element(By.CSS_SELECTOR, "input[name='leader'][value='1']").click()
    browser.find_element(By.CSS_SELECTOR, "#group-form button.primary").click()
    wait_text(browser, "筹备中", "#cycle-steps li.current")
    facts = browser.find_element(By.ID, "cycle-facts").text
    assert "组长：钱文华" in facts and today.isoformat() in facts
    street = Api(server, "jiedao01")
    status, notices = street.call("GET", f"/api/v1/notices?compoundId={compound}")
    posted = [n for n in notices["items"] if n.get("systemKind") == "preparatory_group"]
    assert status == 200 and len(posted) == 1
    status, notice = street.call("GET", f"/api/v1/notices/{posted[0]['id']}")
    assert status == 200 and "组长由街道指定为钱文华" in notice["body"] and "郑秀云（社区）（非业主）" in notice["body"], notice
    # the posted list is the system's: no one may change it, on the page or by its edit address
    browser.get(server["base"] + f"/notices/{notice['id']}")
    wait_text(browser, "筹备组成员公示", "h1")
    assert not browser.find_elements(By.ID, "edit-notice") and not browser.find_elements(By.ID, "withdraw-form")
    browser.get(server["base"] + f"/notices/{notice['id']}/edit")
    assert not browser.find_elements(By.ID, "notice-edit-form") and "不能修改" in browser.find_element(By.ID, "error-message").text
    assert street.call("PATCH", f"/api/v1/notices/{notice['id']}", {"title": "改"})[0] == 409

    # the assembly's election: an elect_committee decision for five seats, linked on the cycle's page
    candidates = ["赵立新", "钱文华", "孙玉兰", "李德明", "周红梅", "吴建军", "冯志远"]
    now = datetime.datetime.now(datetime.timezone.utc)
    status, decision = street.call("POST", f"/api/v1/compounds/{compound}/decisions", {
        "title": "首次业主大会选举业主委员会", "matter": "elect_committee", "candidates": candidates, "seats": 5,
        "opensAt": (now - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "closesAt": (now + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert status == 201, decision
    assert street.call("POST", f"/api/v1/decisions/{decision['id']}/open")[0] == 200
    browser.get(cycle_url)
    Select(browser.find_element(By.CSS_SELECTOR, "#election-form #f-decisionId")).select_by_value(decision["id"])
    browser.find_element(By.CSS_SELECTOR, "#election-form button.primary").click()
    wait_text(browser, "选举中", "#cycle-steps li.current")

    # nine in ten owners return their sheets: the street records, the district confirms
    district = Api(server, "quguan01")
    status, register = street.call("GET", f"/api/v1/decisions/{decision['id']}/paper-ballots")
    assert status == 200 and register["items"]
    for i, sheet in enumerate(register["items"]):
        if i % 10 == 9:
            continue
        owner = database.execute("SELECT lower(owner_id) FROM ownerships WHERE lower(room_id) = ? ORDER BY owner_id LIMIT 1", (sheet["rooms"][0],)).fetchone()[0]
        choices = {c: ("yes" if k < 5 else "no") for k, c in enumerate(candidates)}
        status, recorded = street.call("POST", f"/api/v1/decisions/{decision['id']}/paper-ballots",
                                       {"number": sheet["number"], "ownerId": owner, "choices": choices})
        assert status == 201, recorded
        status, confirmed = district.call("POST", f"/api/v1/decisions/{decision['id']}/paper-ballots/{sheet['number']}/confirm")
        assert status == 200 and confirmed["status"] == "confirmed", confirmed
    assert street.call("POST", f"/api/v1/decisions/{decision['id']}/close", {"reason": "书面表决票已全部收回"})[0] == 200
    status, applied = street.call("POST", f"/api/v1/decisions/{decision['id']}/apply", {})
    assert status == 200 and applied["members"] == candidates[:5], applied

    # installed: the cycle is elected, its filing due in 30 days; the street files it on the page
    browser.get(cycle_url)
    wait_text(browser, "待备案", "#cycle-steps li.current")
    elected = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#elected-members li")]
    assert elected[0] == "主任：赵立新" and sorted(e.split("：")[-1] for e in elected) == sorted(candidates[:5]), elected
    assert (today + datetime.timedelta(days=30)).isoformat() in browser.find_element(By.ID, "cycle-facts").text
    browser.find_element(By.CSS_SELECTOR, "#filing-form button.primary").click()
    wait_text(browser, "已备案", "#cycle-steps li.current")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#cycle-steps li.done")) == 4
    shot(browser, "committee-cycle-filed")

    # the committee in term: the registry says so, and as its term nears its end the reminder shows
    committee = database.execute("""
        SELECT lower(id) FROM committees WHERE lower(compound_id) = ? AND kind = 'owners_committee' AND term_start = ?""",
                                 (compound, today.isoformat())).fetchone()[0]
    ends = today + datetime.timedelta(days=60)
    status, changed = street.call("PATCH", f"/api/v1/committees/{committee}", {"termEnd": ends.isoformat()})
    assert status == 200, changed
    browser.get(server["base"] + "/committees")
    reminder = browser.find_element(By.CSS_SELECTOR, f"#term-reminders li[data-compound='{name}']")
    assert f"任期至 {ends.isoformat()}" in reminder.text and "还剩 60 天" in reminder.text
    reminder.find_element(By.LINK_TEXT, "启动换届").click()
    assert Select(browser.find_element(By.CSS_SELECTOR, "#trigger-form #f-compoundId")).first_selected_option.get_attribute("value") == compound
    assert Select(browser.find_element(By.CSS_SELECTOR, "#trigger-form #f-trigger")).first_selected_option.get_attribute("value") == "term_ending"
    browser.find_element(By.CSS_SELECTOR, "#trigger-form button.primary").click()
    wait_text(browser, "任期届满换届", "#cycle-facts")
    browser.get(server["base"] + "/committees")
    assert "换届已启动" in browser.find_element(By.CSS_SELECTOR, f"#term-reminders li[data-compound='{name}']").text
    shot(browser, "committee-reminders")
