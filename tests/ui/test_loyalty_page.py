"""The loyalty programs page in a real headless Chromium: create a program through the form, see it listed, and a
bad duration refused at its field by the same validation as POST /v1/loyalty_programs."""
from selenium.webdriver.common.by import By

from test_campaign_manager import create_application


def test_a_loyalty_program_is_created_and_listed(manager):
    application_id = create_application(manager, "Loyalty shop")
    manager.open("/loyalty")
    manager.fill("name", "stars")
    manager.fill("title", "Stars <i>club</i>")
    manager.fill("defaultValidity", "30D")
    manager.fill("defaultPending", "on_action")
    manager.driver.find_element(By.NAME, f"application-{application_id}").click()
    manager.submit("Create loyalty program")
    row = next(row for row in manager.driver.find_elements(By.CSS_SELECTOR, "#loyalty-programs tbody tr")
               if row.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text == "stars")
    cells = [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
    assert cells[2:7] == ["Stars <i>club</i>", "profile based", "Loyalty shop", "30D", "on_action"]
    manager.screenshot("loyalty-programs")

    manager.fill("name", "stars")
    manager.fill("title", "Again")
    manager.submit("Create loyalty program")
    assert "/name" in manager.text(".errors") and "exists" in manager.text(".errors")


def test_a_bad_validity_is_refused_at_its_field(manager):
    manager.open("/loyalty")
    manager.fill("name", "moons")
    manager.fill("title", "Moons")
    manager.fill("defaultValidity", "forever")
    manager.submit("Create loyalty program")
    assert "/defaultValidity" in manager.text(".errors")
    assert manager.driver.find_element(By.ID, "defaultValidity").get_attribute("value") == "forever"
    assert "moons" not in [cell.text for cell in
                           manager.driver.find_elements(By.CSS_SELECTOR, "#loyalty-programs td:nth-child(2)")]
