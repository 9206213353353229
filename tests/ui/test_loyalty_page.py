"""The loyalty programs page in a real headless Chromium: create a program through the form, see it listed, and a
bad duration refused at its field by the same validation as POST /v1/loyalty_programs."""
import requests
from selenium.webdriver.common.by import By

from sconto_server import Admin
from test_campaign_manager import create_application, wait_for
from test_rule_palette import create_key


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


def test_a_customer_page_shows_its_loyalty_balances(manager, server):
    application_id = create_application(manager, "Points shop")
    key = create_key(manager, application_id)
    manager.open("/loyalty")
    manager.fill("name", "gems")
    manager.fill("title", "Gems")
    manager.driver.find_element(By.NAME, f"application-{application_id}").click()
    manager.submit("Create loyalty program")
    row = next(row for row in manager.driver.find_elements(By.CSS_SELECTOR, "#loyalty-programs tbody tr")
               if row.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text == "gems")
    program_id = row.find_element(By.CSS_SELECTOR, "td:first-child").text

    profile = requests.put(f"{server.base_url}/v2/customer_profiles/loyal-1",
                           headers={"Authorization": f"ApiKey-v1 {key}"}, json={"attributes": {}}, timeout=30)
    assert profile.status_code == 200, profile.text
    admin = Admin(server.base_url)
    for points in ({"points": 120}, {"points": 30, "pendingDuration": "2D"}):
        added = admin.http.put(admin.url(f"/v1/loyalty_programs/{program_id}/profile/loyal-1/add_points"),
                               json=points, timeout=30)
        assert added.status_code == 204, added.text

    manager.open(f"/applications/{application_id}/customers?q=loyal-1")
    manager.driver.find_element(By.LINK_TEXT, "loyal-1").click()
    wait_for(manager, lambda: manager.text("h1") == "Customer loyal-1")
    gems = next(row for row in manager.driver.find_elements(By.CSS_SELECTOR, "#profile-loyalty tbody tr")
                if row.find_element(By.CSS_SELECTOR, "td:first-child").text == "Gems")
    assert [cell.text for cell in gems.find_elements(By.CSS_SELECTOR, "td")][1:3] == ["120", "30"]
    manager.screenshot("customer-loyalty")
