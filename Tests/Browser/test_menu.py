"""A resident orders a repair from the menu on a phone; the street's repair team accepts, schedules and
completes it; the resident confirms and rates it; the team's statistics change."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import login, shot, wait_text



def test_a_resident_orders_a_repair_the_team_completes_it_and_the_rating_counts(server, database, browser, phone):
    team = database.execute("SELECT id FROM service_providers WHERE name = '大屯街道专业维修队'").fetchone()[0].lower()
    login(browser, server, "weixiu01")
    browser.get(server["base"] + f"/menu/providers/{team}")
    before = browser.find_element(By.ID, "provider-figures").text

    # the resident orders from the phone
    login(phone, server, "jumin01")
    phone.get(server["base"] + "/menu")
    tile = phone.find_element(By.CSS_SELECTOR, "#menu-items li[data-item='上门水电维修']")
    assert "大屯街道专业维修队" in tile.text and "50.00–200.00" in tile.text
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    tile.find_element(By.CSS_SELECTOR, "a.button").click()
    wait_text(phone, "预约：上门水电维修", "#order-form")
    phone.find_element(By.ID, "f-description").send_keys("卫生间插座跳闸，需要检修线路")
    shot(phone, "menu-order-phone")
    phone.find_element(By.CSS_SELECTOR, "#order-form button.primary").click()
    wait_text(phone, "FW", "h1")
    number = phone.find_element(By.TAG_NAME, "h1").text.split()[0]
    assert phone.find_element(By.ID, "order-status").text == "待接单"
    assert phone.find_element(By.ID, "order-provider").text == "大屯街道专业维修队"

    # the team works its queue: accept, schedule, complete with the price and how it was paid
    browser.get(server["base"] + "/menu")
    browser.find_element(By.CSS_SELECTOR, "#order-queue").find_element(By.LINK_TEXT, number).click()
    wait_text(browser, number, "h1")
    browser.find_element(By.CSS_SELECTOR, "#accept-form button").click()
    wait_text(browser, "已接单", "#order-status")
    browser.find_element(By.CSS_SELECTOR, "#schedule-form button").click()
    wait_text(browser, "已排期", "#order-status")
    price = browser.find_element(By.CSS_SELECTOR, "#complete-form #f-price")
    price.clear()
    price.send_keys("150.00")
    Select(browser.find_element(By.CSS_SELECTOR, "#complete-form #f-paymentMethod")).select_by_value("wechat")
    browser.find_element(By.CSS_SELECTOR, "#complete-form button").click()
    wait_text(browser, "已完工", "#order-status")
    assert "150.00" in browser.find_element(By.ID, "order-price").text

    # the resident confirms and rates it on the phone
    phone.refresh()
    wait_text(phone, "已完工", "#order-status")
    Select(phone.find_element(By.CSS_SELECTOR, "#confirm-form #f-rating")).select_by_value("5")
    phone.find_element(By.CSS_SELECTOR, "#confirm-form #f-comment").send_keys("师傅很专业")
    phone.find_element(By.CSS_SELECTOR, "#confirm-form button").click()
    wait_text(phone, "已确认", "#order-status")
    assert "★★★★★" in phone.find_element(By.ID, "order-rating").text
    row = database.execute("SELECT status, price, rating, payment_method FROM service_orders WHERE number = ?", (number,)).fetchone()
    assert row == ("confirmed", 15000, 5, "wechat")

    # the team's statistics count the order, its rating and its revenue
    browser.get(server["base"] + f"/menu/providers/{team}")
    after = browser.find_element(By.ID, "provider-figures").text
    assert after != before
    assert "150.00" in after and "5.0" in after
    assert browser.find_elements(By.CSS_SELECTOR, "#revenue-chart rect")
    shot(browser, "menu-provider-stats")
