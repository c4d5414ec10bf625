"""The community asks 万兴苑's owners for opinions, weighted by area; an owner answers on a phone from
the start page; the community sees the chart by persons and by area and the CSV, closes the survey,
and the owner then sees the results."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import login, shot, wait_text


def test_a_survey_is_answered_on_a_phone_and_charted(server, database, browser, phone):
    compound = database.execute("SELECT id FROM compounds WHERE name = '万兴苑'").fetchone()[0].lower()
    login(browser, server, "shequ01")
    browser.get(server["base"] + f"/surveys/new?compoundId={compound}")
    wait_text(browser, "发起征求意见", "h1")
    Select(browser.find_element(By.ID, "f-author")).select_by_value("community")
    browser.find_element(By.ID, "f-title").send_keys("加装电梯意见征询")
    Select(browser.find_element(By.ID, "f-audience")).select_by_value("owners")
    browser.find_element(By.ID, "f-weighted").click()
    browser.find_element(By.ID, "f-questions[0].text").send_keys("是否同意加装电梯")
    # one option is not a choice: refused beside the field, with what was typed kept
    browser.find_element(By.ID, "f-questions[0].options").send_keys("同意")
    Select(browser.find_element(By.ID, "f-questions[1].kind")).select_by_value("text")
    browser.find_element(By.ID, "f-questions[1].text").send_keys("其他意见")
    browser.find_element(By.CSS_SELECTOR, "#survey-form button.primary").click()
    wait_text(browser, "2 到 20 个选项", "#form-errors")
    assert browser.find_element(By.ID, "f-title").get_attribute("value") == "加装电梯意见征询"
    options = browser.find_element(By.ID, "f-questions[0].options")
    options.clear()
    options.send_keys("同意\n不同意\n无所谓")
    browser.find_element(By.CSS_SELECTOR, "#survey-form button.primary").click()
    wait_text(browser, "加装电梯意见征询", "h1")
    number = browser.find_element(By.ID, "survey-meta").text.split()[0]
    assert number.startswith("ZX")
    assert "已有 0 人答复" in browser.find_element(By.ID, "survey-closes").text

    # the owner answers from the phone's start page
    login(phone, server, "yezhu01")
    card = phone.find_element(By.ID, "home-surveys")
    assert "加装电梯意见征询" in card.text
    card.find_element(By.LINK_TEXT, "加装电梯意见征询").click()
    wait_text(phone, "加装电梯意见征询", "h1")
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.find_element(By.CSS_SELECTOR, "fieldset[data-question='0'] label.choice input[value='0']").click()
    phone.find_element(By.ID, "f-answers[1]").send_keys("希望低层住户也得到补偿")
    shot(phone, "survey-answer-phone")
    phone.find_element(By.CSS_SELECTOR, "#answer-form button.primary").click()
    wait_text(phone, "您已于", "#answered-at")
    assert "同意" in phone.find_element(By.ID, "my-answers").text
    assert "结束后公布结果" in phone.page_source
    area = database.execute("SELECT r.area FROM survey_responses r JOIN surveys s ON s.id = r.survey_id WHERE s.number = ?", (number,)).fetchone()[0]
    assert area > 0

    # the community sees it counted both ways, with a chart and the CSV, and closes it
    browser.refresh()
    wait_text(browser, "答复 1 人", "#survey-turnout")
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.survey-chart[data-question='0'] rect")
    assert len(bars) == 6  # three options, by persons and by area
    first = browser.find_element(By.CSS_SELECTOR, ".survey-table[data-question='0'] tbody tr").text
    assert first.startswith("同意 1 100.00%")
    assert "希望低层住户也得到补偿" in browser.find_element(By.CSS_SELECTOR, "ul.survey-texts").text
    assert browser.find_element(By.ID, "survey-csv").get_attribute("href").endswith("/results.csv")
    shot(browser, "survey-results")
    browser.execute_script("window.confirm = () => true")
    browser.find_element(By.CSS_SELECTOR, "#close-form button").click()
    wait_text(browser, "已结束", "h1")

    # the owner now sees the results on the phone
    phone.refresh()
    wait_text(phone, "答复 1 人", "#survey-turnout")
    assert phone.find_elements(By.CSS_SELECTOR, "svg.survey-chart")
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone, "survey-results-phone")
