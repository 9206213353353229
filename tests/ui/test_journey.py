"""The issue's Done-when journey in a real headless Chromium against a real `sconto serve`: log in → application →
key → attribute → the seed tutorial's campaign from the rule builder → coupons with live progress → Try it → the
seed tutorial through talon-one-python-sdk 9.0.0 → the session and its effects, the request in the logs, the
redemption in analytics. Saves a screenshot of each page to docs/screenshots/."""
import json
import os
import re
import subprocess

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import ROOT
from test_campaign_manager import TUTORIAL_CART, create_application, wait_for

SDK9_PYTHON = os.environ.get("SCONTO_SDK9_PYTHON", os.path.join(ROOT, ".venv-sdk9", "bin", "python"))
SESSION_ID = "sdk9-tutorial-session"
PROFILE_ID = "tutorial-customer"


def run_tutorial_with_sdk9(base_url, key, coupon):
    script = os.path.join(os.path.dirname(__file__), "sdk9_tutorial.py")
    done = subprocess.run([SDK9_PYTHON, script, base_url, key, coupon, SESSION_ID, PROFILE_ID],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_done_when_journey(manager, server):
    driver = manager.driver
    driver.delete_all_cookies()
    manager.log_in()
    assert manager.text("h1") == "Applications"

    application_id = create_application(manager, "Journey shop")
    base = f"/applications/{application_id}"
    manager.fill("title", "journey key")
    manager.submit("Create Integration API key")
    key = manager.text("#new-key")
    assert f"ApiKey-v1 {key}" in manager.text("#first-request")

    # A custom attribute, through the Management API's service.
    manager.open("/attributes")
    assert "CustomerProfile" in manager.text("#builtin-attributes")
    Select(driver.find_element(By.ID, "entity")).select_by_value("CustomerProfile")
    Select(driver.find_element(By.ID, "type")).select_by_value("string")
    manager.fill("name", "membership")
    manager.fill("title", "Membership level")
    manager.fill("description", "The customer's loyalty tier")
    manager.fill("suggestions", "gold, silver")
    manager.submit("Create attribute")
    assert "Created the attribute membership." in manager.text("main")
    row = manager.text("#custom-attributes tbody tr")
    assert "membership" in row and "Membership level" in row and "gold, silver" in row
    manager.screenshot("attributes")

    # The seed tutorial's campaign from the rule builder: 20% off with a valid coupon (the builder's start).
    manager.open(base + "/campaigns/new")
    manager.fill("name", "Journey: 20% off with a valid coupon")
    rules = driver.find_element(By.ID, "rules")
    wait_for(manager, lambda: '"couponValid"' in rules.get_attribute("value") and "20" in rules.get_attribute("value"))
    manager.submit("Create campaign")
    campaign_path = driver.current_url.split("?")[0]
    assert manager.text("#campaign-state") == "running"

    # Coupons: the batch's progress bar is on the page while it runs, then the codes.
    manager.fill("count", "10000")
    manager.fill("prefix", "JOURNEY-")
    manager.submit("Generate coupons")
    assert "batch=" in driver.current_url or "generated=" in driver.current_url
    wait_for(manager, lambda: "Generated 10000 coupons." in manager.text("#coupons"), timeout=120)
    coupon = driver.find_elements(By.CSS_SELECTOR, "#coupon-list code")[0].text
    assert re.fullmatch(r"JOURNEY-[A-Z0-9]{8}", coupon)

    # Try it: without a coupon the rule says why it failed; with one, 20% of 123.
    manager.open(campaign_path.replace(server.base_url, "") + "/try")
    manager.fill("couponCode", "")
    manager.submit("Try it")
    assert "No effect." in manager.text("#try-result")
    assert "Journey: 20% off with a valid coupon" in manager.text("#rule-failures")
    manager.fill("couponCode", coupon)
    manager.submit("Try it")
    effects = manager.text("#try-effects")
    assert "acceptCoupon" in effects and "setDiscount" in effects and '"value":24.6' in effects
    manager.screenshot("try-it")
    # A dry run uses nothing: the coupon is still unused for the SDK below.

    # The seed tutorial through talon-one-python-sdk 9.0.0.
    opened, closed = run_tutorial_with_sdk9(server.base_url, key, coupon)
    assert {e["effectType"] for e in opened} == {"acceptCoupon", "setDiscount"}
    assert next(e for e in opened if e["effectType"] == "setDiscount")["props"]["value"] == 24.6

    # The session and its effects.
    manager.open(base + "/sessions")
    driver.find_element(By.LINK_TEXT, SESSION_ID).click()
    wait_for(manager, lambda: manager.text("h1") == f"Session {SESSION_ID}")
    assert manager.text("#session-state") == "closed"
    assert "Red Spring Blouse" in manager.text("#cart") and "Denim Trousers" in manager.text("#cart")
    assert "setDiscount" in manager.text("#session-effects") and "24.6" in manager.text("#session-effects")
    assert "talon_session_closed" in manager.text("#session-events")
    manager.screenshot("session")
    driver.find_element(By.LINK_TEXT, PROFILE_ID).click()
    wait_for(manager, lambda: manager.text("h1") == f"Customer {PROFILE_ID}")
    assert SESSION_ID in manager.text("#profile-sessions") and coupon in manager.text("#profile-coupons")
    manager.open(base + f"/customers?q={PROFILE_ID}")
    assert PROFILE_ID in manager.text("#profiles")
    manager.screenshot("customers")

    # The request in the Integration API logs (written in batches: reload until it is there).
    def logged():
        manager.open(base + "/logs?path=" + SESSION_ID)
        return len(driver.find_elements(By.CSS_SELECTOR, "#log-entries li")) == 2
    wait_for(manager, logged, timeout=30)
    first = driver.find_elements(By.CSS_SELECTOR, "#log-entries details")[-1]  # newest first: the opening update
    first.find_element(By.TAG_NAME, "summary").click()
    assert coupon in first.find_element(By.CSS_SELECTOR, "pre.request").text
    assert "setDiscount" in first.find_element(By.CSS_SELECTOR, "pre.response").text
    assert f"PUT /v2/customer_sessions/{SESSION_ID}" in first.find_element(By.TAG_NAME, "summary").text
    manager.screenshot("logs")
    manager.open(base + "/logs?status=error&path=" + SESSION_ID)
    assert "No request in this range." in manager.text("main")

    # The redemption in analytics, per campaign and per application.
    manager.open(campaign_path.replace(server.base_url, "") + "/analytics")
    assert manager.text("#chart-redemptions .total") == "1"
    assert manager.text("#chart-discounts .total") == "24.6 EUR"
    assert manager.text("#chart-revenue .total") == "123 EUR"
    assert driver.find_elements(By.CSS_SELECTOR, "#chart-redemptions svg rect.bar")
    manager.screenshot("campaign-analytics")
    manager.open(base + "/analytics")
    assert manager.text("#chart-sessions .total") == "1"
    assert manager.text("#chart-redemptions .total") == "1"
    manager.screenshot("analytics")


def test_pages_of_an_unknown_application_are_not_found(manager, server):
    """Every page looks the application up in the user's account, as the API does: any other id is a 404."""
    cookies = {c["name"]: c["value"] for c in manager.driver.get_cookies()}
    for path in ("/customers", "/sessions", "/sessions/1", "/logs", "/analytics", "/campaigns/1/try",
                 "/campaigns/1/analytics"):
        response = requests.get(f"{server.base_url}/applications/999999{path}", cookies=cookies, allow_redirects=False)
        assert response.status_code == 404, path


def test_management_keys_are_created_with_the_api_s_permissions_and_revoked(manager, server):
    application_id = create_application(manager, "Keys shop")
    manager.open("/management_keys")
    manager.fill("name", "reporting")
    manager.fill("endpoints", "GET /v1/applications/:applicationId")
    manager.driver.find_element(By.NAME, f"application-{application_id}").click()
    manager.submit("Create management key")
    secret = manager.text("#new-management-key")
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert "reporting" in manager.text("#management-keys")
    manager.screenshot("management-keys")
    headers = {"Authorization": f"ManagementKey-v1 {secret}"}
    applications = server.base_url + "/v1/applications"
    assert requests.get(f"{applications}/{application_id}", headers=headers).status_code == 200
    assert requests.get(f"{applications}/{application_id}/campaigns", headers=headers).status_code == 403  # endpoint
    assert requests.get(applications, headers=headers).status_code == 403  # account-wide, but limited to one app
    manager.open("/management_keys")
    assert secret not in manager.driver.page_source  # shown once
    manager.submit("Revoke")
    assert "reporting" not in manager.text("main")
    assert requests.get(f"{applications}/{application_id}", headers=headers).status_code == 401


def test_application_settings_change_case_sensitivity_and_cascading(manager):
    application_id = create_application(manager, "Settings shop")
    manager.open(f"/applications/{application_id}/settings")
    Select(manager.driver.find_element(By.ID, "caseSensitivity")).select_by_value("insensitive-uppercase")
    manager.driver.find_element(By.ID, "cascading").click()
    manager.fill("currency", "usd")
    manager.submit("Save settings")
    assert "Saved." in manager.text("main")
    assert Select(manager.driver.find_element(By.ID, "caseSensitivity")).first_selected_option.get_attribute(
        "value") == "insensitive-uppercase"
    assert manager.driver.find_element(By.ID, "cascading").is_selected()
    manager.screenshot("application-settings")
    manager.open(f"/applications/{application_id}")
    assert "Currency USD" in manager.text("main")
    manager.open(f"/applications/{application_id}/settings")
    manager.fill("timezone", "Mars/Olympus")
    manager.submit("Save settings")
    assert "/timezone" in manager.text(".errors")


def test_campaign_edit_and_rule_versions_with_activation_and_diff(manager):
    application_id = create_application(manager, "Versions shop")
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "Versioned")
    rules = manager.driver.find_element(By.ID, "rules")
    wait_for(manager, lambda: '"couponValid"' in rules.get_attribute("value"))
    manager.submit("Create campaign")
    campaign_path = manager.driver.current_url.split("?")[0].replace(manager.base_url, "")

    manager.open(campaign_path + "/edit")
    manager.fill("tags", "xmas, shoes")
    manager.fill("discountBudget", "100")
    manager.fill("redemptionsPerCustomer", "1")
    manager.submit("Save campaign")
    assert "tags: xmas, shoes" in manager.text("#campaign-schedule")
    manager.open(campaign_path + "/edit")
    assert manager.driver.find_element(By.ID, "discountBudget").get_attribute("value") == "100"
    assert manager.driver.find_element(By.ID, "redemptionsPerCustomer").get_attribute("value") == "1"
    manager.screenshot("campaign-edit")

    # A new version from the builder, saved as a draft: the active rules stay as they were.
    manager.open(campaign_path + "/rules")
    rules = manager.driver.find_element(By.ID, "rules")
    wait_for(manager, lambda: '"couponValid"' in rules.get_attribute("value"))
    manager.fill("amount", "30")
    wait_for(manager, lambda: "30" in rules.get_attribute("value") and "20" not in rules.get_attribute("value").replace(
        "20% off", ""))
    manager.submit("Save version")
    versions = manager.driver.find_elements(By.CSS_SELECTOR, "#ruleset-versions tbody tr")
    assert len(versions) == 2 and "active" in versions[1].text and "Activate" in versions[0].text
    assert "30" not in manager.text("#active-rules")

    manager.submit("Compare versions")
    assert [e.text for e in manager.driver.find_elements(By.CSS_SELECTOR, "#ruleset-diff ins") if "30" in e.text]
    assert [e.text for e in manager.driver.find_elements(By.CSS_SELECTOR, "#ruleset-diff del") if "20" in e.text]
    manager.screenshot("ruleset-diff")

    manager.open(campaign_path)
    manager.submit("Activate")
    assert "30" in manager.text("#active-rules")
    rows = manager.driver.find_elements(By.CSS_SELECTOR, "#ruleset-versions tbody tr")
    assert "active" in rows[0].text and "Activate" in rows[1].text


def test_coupons_are_searched_edited_and_deleted(manager):
    application_id = create_application(manager, "Coupon desk")
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "Desk campaign")
    manager.submit("Create campaign")
    for prefix, count in (("FIND-", "3"), ("OTHER-", "2")):
        manager.fill("count", count)
        manager.fill("prefix", prefix)
        manager.submit("Generate coupons")
        wait_for(manager, lambda: f"Generated {count} coupons." in manager.text("#coupons"), timeout=60)
    campaign_path = manager.driver.current_url.split("?")[0].replace(manager.base_url, "")
    manager.open(campaign_path + "/coupons?q=FIND")
    rows = manager.driver.find_elements(By.CSS_SELECTOR, "#coupons-table tbody tr")
    assert len(rows) == 3 and all("FIND-" in row.text for row in rows)
    code = rows[0].find_element(By.TAG_NAME, "code").text

    limit = rows[0].find_element(By.NAME, "usageLimit")
    limit.clear()
    limit.send_keys("5")
    manager.driver.execute_script(
        "arguments[0].value = '2030-01-31T12:00'", rows[0].find_element(By.NAME, "expiryDate"))
    manager.submit("Save")
    assert f"Saved {code}." in manager.text("main")
    manager.open(campaign_path + f"/coupons?q={code}")
    row = manager.driver.find_element(By.CSS_SELECTOR, "#coupons-table tbody tr")
    assert row.find_element(By.NAME, "usageLimit").get_attribute("value") == "5"
    assert row.find_element(By.NAME, "expiryDate").get_attribute("value") == "2030-01-31T12:00"
    manager.screenshot("coupons")

    manager.submit("Delete")
    assert f"Deleted {code}." in manager.text("main")
    manager.open(campaign_path + "/coupons?q=FIND")
    assert len(manager.driver.find_elements(By.CSS_SELECTOR, "#coupons-table tbody tr")) == 2
    manager.open(campaign_path + "/coupons")
    assert len(manager.driver.find_elements(By.CSS_SELECTOR, "#coupons-table tbody tr")) == 4


def test_coupons_are_imported_and_exported_as_csv(manager):
    application_id = create_application(manager, "CSV desk")
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "CSV campaign")
    manager.submit("Create campaign")
    campaign_path = manager.driver.current_url.split("?")[0].replace(manager.base_url, "")
    manager.open(campaign_path + "/coupons")
    manager.fill("csv", "value,limitval,expirydate\nIMPORTED-1,3,2030-01-31T12:00:00Z\nIMPORTED-2,,\n")
    manager.submit("Import coupons")
    assert "Imported 2 coupons." in manager.text("main")
    rows = manager.driver.find_elements(By.CSS_SELECTOR, "#coupons-table tbody tr")
    assert sorted(row.find_element(By.TAG_NAME, "code").text for row in rows) == ["IMPORTED-1", "IMPORTED-2"]

    # The same codes again: refused as a whole, unless told to skip the ones that exist.
    manager.fill("csv", "value\nIMPORTED-1\nIMPORTED-3\n")
    manager.submit("Import coupons")
    assert "exists already" in manager.text(".errors")
    manager.fill("csv", "value\nIMPORTED-1\nIMPORTED-3\n")
    manager.driver.find_element(By.ID, "skipDuplicates").click()
    manager.submit("Import coupons")
    assert "Imported 1 coupons." in manager.text("main")
    manager.fill("csv", "value\nab\n")
    manager.submit("Import coupons")
    assert "line 2, value" in manager.text(".errors")

    cookies = {c["name"]: c["value"] for c in manager.driver.get_cookies()}
    export = requests.get(manager.base_url + campaign_path + "/coupons/export?q=IMPORTED-1", cookies=cookies)
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    lines = export.text.strip().splitlines()
    assert lines[0].startswith("id,created,campaignid,value,expirydate") and len(lines) == 2
    assert ",IMPORTED-1,2030-01-31T12:00:00" in lines[1]
    everything = requests.get(manager.base_url + campaign_path + "/coupons/export", cookies=cookies).text
    assert len(everything.strip().splitlines()) == 4


def close_session_with_sdk26(server, key, session_id, cart):
    import talon_one  # SDK 26.2, this venv's
    configuration = talon_one.Configuration(host=server.base_url, api_key={"api_key_v1": key},
                                            api_key_prefix={"api_key_v1": "ApiKey-v1"})
    api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
    session = talon_one.NewCustomerSessionV2(cart_items=[talon_one.CartItem(**item) for item in cart], state="closed")
    return api.update_customer_session_v2(session_id, talon_one.IntegrationRequest(customer_session=session))


def test_simulate_replays_closed_sessions_against_the_draft_and_the_active_version(manager, server):
    application_id = create_application(manager, "Simulation shop")
    manager.fill("title", "simulation key")
    manager.submit("Create Integration API key")
    key = manager.text("#new-key")
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "Ten percent off")
    manager.driver.find_element(By.ID, "couponValid").click()
    manager.fill("amount", "10")
    rules = manager.driver.find_element(By.ID, "rules")
    wait_for(manager, lambda: "couponValid" not in rules.get_attribute("value") and "10" in rules.get_attribute("value"))
    manager.submit("Create campaign")
    campaign_path = manager.driver.current_url.split("?")[0].replace(manager.base_url, "")
    blouse, trousers = TUTORIAL_CART
    close_session_with_sdk26(server, key, "sim-1", [blouse, trousers])  # 123: 12.3 off
    close_session_with_sdk26(server, key, "sim-2", [blouse])  # 49: 4.9 off

    # A draft at 20%: the Integration API still runs the active 10%.
    manager.open(campaign_path + "/rules")
    manager.driver.find_element(By.ID, "couponValid").click()
    manager.fill("amount", "20")
    rules = manager.driver.find_element(By.ID, "rules")
    wait_for(manager, lambda: "couponValid" not in rules.get_attribute("value") and "20" in rules.get_attribute("value"))
    manager.submit("Save version")

    manager.open(campaign_path + "/simulate")
    manager.fill("sessions", "10")
    manager.submit("Simulate")
    rows = [row.text for row in manager.driver.find_elements(By.CSS_SELECTOR, "#simulation tbody tr")]
    assert rows[0].startswith("Actually given") and rows[0].endswith("2 2 17.2 EUR"), rows
    assert rows[1].startswith("Active version") and rows[1].endswith("2 2 17.2 EUR"), rows
    assert rows[2].startswith("Draft version") and rows[2].endswith("2 2 34.4 EUR"), rows
    manager.screenshot("simulate")
