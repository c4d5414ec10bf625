"""Each demo role logs in and sees its own menu and start page, and nothing of another street."""
import json
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import wait_text, ACCOUNTS, login, shot
from test_registry import api

MENUS = {
    "district-admin": {"committees", "coverage", "hotspots", "inspections", "assessment", "consultations", "notices", "surveys", "home", "requests", "board", "hotline", "whistle", "rankings", "fees", "disputes", "menu", "alerts", "devices", "access", "manage", "registrations", "import", "export",
                       "users", "audit", "api"},
    "street-staff": {"committees", "coverage", "hotspots", "inspections", "assessment", "consultations", "notices", "surveys", "home", "requests", "board", "hotline", "whistle", "receptions", "rankings", "fees", "disputes", "menu", "alerts", "devices", "access", "manage", "registrations"},
    "community-staff": {"committees", "coverage", "hotspots", "inspections", "assessment", "consultations", "notices", "surveys", "home", "requests", "board", "whistle", "receptions", "rankings", "fees", "disputes", "menu", "alerts", "devices", "access", "gate", "manage", "registrations"},
    "committee-member": {"inspections", "committees", "consultations", "notices", "surveys", "home", "requests", "whistle", "rankings", "fees", "disputes"},
    "company-staff": {"inspections", "assessment", "consultations", "notices", "surveys", "home", "requests", "whistle", "rankings", "fees", "disputes", "menu", "devices", "access", "gate", "company"},
    "department-liaison": {"home", "requests", "whistle", "rankings"},
    "owner": {"consultations", "notices", "surveys", "home", "requests", "menu", "visitors"},
    "resident": {"consultations", "notices", "surveys", "home", "requests", "menu", "visitors"},
    "mediator": {"home", "disputes"},
    "service-provider": {"home", "menu"},
}


@pytest.mark.parametrize("role", sorted(ACCOUNTS))
def test_each_role_sees_its_menu(server, browser, role):
    login(browser, server, ACCOUNTS[role])
    items = {a.get_attribute("data-nav") for a in browser.find_elements(By.CSS_SELECTOR, "#menu a")}
    assert items == MENUS[role]
    assert ACCOUNTS[role] in browser.find_element(By.ID, "who").text
    shot(browser, "home-" + role)


def test_staff_land_on_their_own_page(server, browser):
    login(browser, server, "jiedao01")
    assert browser.find_element(By.TAG_NAME, "h1").text == "大屯街道"
    browser.find_element(By.ID, "logout").click()
    login(browser, server, "yeweihui01")
    assert browser.find_element(By.TAG_NAME, "h1").text == "万兴苑"
    browser.find_element(By.ID, "logout").click()
    login(browser, server, "yezhu01")
    assert browser.find_element(By.TAG_NAME, "h1").text == "我的房屋"
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 1


def test_another_streets_compound_cannot_be_opened_by_editing_the_url(server, browser):
    district = api(server, "GET", "/api/v1/districts")[1]["items"][0]["id"]
    status, street = api(server, "POST", "/api/v1/streets", {"districtId": district, "name": "望京街道", "kind": "subdistrict"})
    assert status == 201, street
    _, community = api(server, "POST", "/api/v1/communities", {"streetId": street["id"], "name": "花家地社区"})
    _, compound = api(server, "POST", "/api/v1/compounds", {
        "communityId": community["id"], "name": "花家地西里", "address": "望京", "housingKind": "reform", "yearBuilt": 1995,
        "managementMode": "none"})
    login(browser, server, "jiedao01")
    browser.get(server["base"] + "/compounds/" + compound["id"])
    assert "404" in browser.find_element(By.TAG_NAME, "h1").text
    assert "花家地西里" not in browser.page_source
    browser.get(server["base"] + "/manage/compounds?communityId=" + community["id"])
    assert "花家地西里" not in browser.page_source
    # the district admin sees it
    browser.find_element(By.ID, "logout").click()
    login(browser, server, "quguan01")
    browser.get(server["base"] + "/compounds/" + compound["id"])
    assert browser.find_element(By.TAG_NAME, "h1").text == "花家地西里"


def test_a_committee_member_cannot_edit_the_compound(server, browser):
    login(browser, server, "yeweihui01")
    assert not browser.find_elements(By.LINK_TEXT, "编辑")
    compound_link = browser.current_url
    compound_id = compound_link.rstrip("/").split("/")[-1]
    browser.get(server["base"] + "/manage/compounds/" + compound_id + "/edit")
    assert "403" in browser.find_element(By.TAG_NAME, "h1").text


def test_wrong_password_and_logout(server, browser):
    browser.get(server["base"] + "/")
    assert "/login" in browser.current_url
    browser.find_element(By.ID, "username").send_keys("jiedao01")
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    assert wait_text(browser, "用户名或密码不正确", "#login-error")
    login(browser, server, "jiedao01")
    browser.find_element(By.ID, "logout").click()
    assert wait_text(browser, "已退出", ".flash")
    browser.get(server["base"] + "/streets")
    assert "/login" in browser.current_url or "404" in browser.page_source
