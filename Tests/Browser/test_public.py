"""A compound's public page: community staff find its link on the compound's page; a phone that
is not signed in opens it and sees the company, the committee and the rates, and no owner's,
resident's or committee member's name or phone; when the district turns pages off it is gone."""
from selenium.webdriver.common.by import By

from conftest import login, shot, wait_text


def test_a_public_compound_page_opened_without_signing_in_shows_no_personal_data(server, database, browser, phone):
    compound = database.execute("SELECT lower(id) FROM compounds WHERE name = '万兴苑'").fetchone()[0]
    login(browser, server, "shequ01")
    browser.get(server["base"] + f"/compounds/{compound}")
    link = browser.find_element(By.ID, "public-link").get_attribute("href")
    assert link.endswith(f"/public/compounds/{compound}")

    phone.delete_all_cookies()
    phone.get(link)
    wait_text(phone, "万兴苑", "h1")
    assert not phone.find_elements(By.ID, "who")
    company = database.execute("""
        SELECT co.name FROM contracts k JOIN companies co ON co.id = k.company_id WHERE lower(k.compound_id) = ?
        ORDER BY k.starts_on DESC LIMIT 1""", (compound,)).fetchone()[0]
    assert company in phone.find_element(By.ID, "public-company").text
    assert len(phone.find_elements(By.CSS_SELECTOR, "#public-rates tbody tr")) == 2
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    source = phone.page_source
    people = [r[0] for r in database.execute("""
        SELECT o.name FROM owners o JOIN ownerships w ON w.owner_id = o.id JOIN rooms r ON r.id = w.room_id JOIN entrances e ON e.id = r.entrance_id
        JOIN buildings b ON b.id = e.building_id WHERE lower(b.compound_id) = ?
        UNION SELECT s.name FROM residents s JOIN rooms r ON r.id = s.room_id JOIN entrances e ON e.id = r.entrance_id
        JOIN buildings b ON b.id = e.building_id WHERE lower(b.compound_id) = ?
        UNION SELECT m.name FROM committee_members m JOIN committees k ON k.id = m.committee_id WHERE lower(k.compound_id) = ?""",
                                             (compound, compound, compound))]
    phones = [r[0] for r in database.execute("""
        SELECT o.phone FROM owners o JOIN ownerships w ON w.owner_id = o.id JOIN rooms r ON r.id = w.room_id JOIN entrances e ON e.id = r.entrance_id
        JOIN buildings b ON b.id = e.building_id WHERE lower(b.compound_id) = ? AND o.phone IS NOT NULL""", (compound,))]
    rooms = [r[0] for r in database.execute("""
        SELECT DISTINCT b.number || '-' || e.number || '-' || r.number FROM rooms r JOIN entrances e ON e.id = r.entrance_id
        JOIN buildings b ON b.id = e.building_id WHERE lower(b.compound_id) = ?""", (compound,))]
    assert people and phones
    assert [p for p in people if p in source] == []
    assert [p for p in phones if p in source] == []
    assert [r for r in rooms if r in source] == []
    shot(phone, "public-compound-phone")

    # the district admin turns public pages off on the coverage page: the link answers 404
    login(browser, server, "quguan01")
    browser.get(server["base"] + "/coverage")
    assert "已开启" in browser.find_element(By.ID, "public-pages-state").text
    browser.find_element(By.CSS_SELECTOR, "#public-pages-form button").click()
    wait_text(browser, "已关闭", "#public-pages-state")
    phone.get(link)
    assert "404" in phone.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.CSS_SELECTOR, "#public-pages-form button").click()
    wait_text(browser, "已开启", "#public-pages-state")
    phone.get(link)
    wait_text(phone, "万兴苑", "h1")
