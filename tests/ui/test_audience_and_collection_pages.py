"""The audiences and collections pages in a real headless Chromium: create, see it listed, fill it (audience members
through the Integration API, collection items by CSV import) and export, on the same stores the API uses."""
import requests
from selenium.webdriver.common.by import By

from test_campaign_manager import create_application, wait_for
from test_rule_palette import create_key


def cookies(manager):
    return {cookie["name"]: cookie["value"] for cookie in manager.driver.get_cookies()}


def test_audiences_are_created_listed_and_count_their_members(manager, server):
    application_id = create_application(manager, "Audience shop")
    key = create_key(manager, application_id)
    manager.open("/audiences")
    manager.fill("name", "VIP <b>customers</b>")
    manager.fill("description", "Spent over 1000")
    manager.submit("Create audience")
    assert manager.text("h1") == "Audience VIP <b>customers</b>"
    assert "0 members" in manager.text("#audience-summary")
    audience_id = int(manager.driver.current_url.rstrip("/").split("/")[-1])

    added = requests.post(server.base_url + "/v2/customer_audiences", headers={"Authorization": f"ApiKey-v1 {key}"},
                          json={"data": [{"action": "add", "profileIntegrationId": f"vip-{n}", "audienceId": audience_id}
                                         for n in range(3)]}, timeout=30)
    assert added.status_code == 204, added.text
    manager.driver.refresh()
    assert "3 members" in manager.text("#audience-summary")
    assert [row.text for row in manager.driver.find_elements(By.CSS_SELECTOR, "#audience-members tbody td:first-child")] \
        == ["vip-0", "vip-1", "vip-2"]
    manager.screenshot("audience")

    manager.open("/audiences")
    row = next(row for row in manager.driver.find_elements(By.CSS_SELECTOR, "#audiences tbody tr")
               if row.find_element(By.CSS_SELECTOR, "td:first-child").text == str(audience_id))
    assert "VIP <b>customers</b>" in row.text and row.find_element(By.CSS_SELECTOR, "td:nth-child(3)").text == "3"
    manager.screenshot("audiences")


def test_an_empty_audience_name_is_refused_at_its_field(manager):
    manager.open("/audiences")
    manager.driver.execute_script("document.getElementById('name').removeAttribute('required')")
    manager.fill("name", " ")
    manager.submit("Create audience")
    assert "/name" in manager.text(".errors")


def test_account_collections_import_list_and_export_items(manager, server):
    application_id = create_application(manager, "Collection shop")
    manager.open("/collections")
    manager.fill("name", "summer_skus")
    manager.fill("description", "On sale all summer")
    manager.driver.find_element(By.NAME, f"application-{application_id}").click()
    manager.submit("Create collection")
    assert manager.text("h1") == "Collection summer_skus"
    collection_path = manager.driver.current_url.replace(server.base_url, "")

    manager.fill("items", "item\nSKU-1\nSKU-2\nSKU-2\n\"SKU,3\"\n")
    manager.submit("Import items")
    assert "Imported 3 items." in manager.text("main")
    assert [item.text for item in manager.driver.find_elements(By.CSS_SELECTOR, "#collection-items code")] == [
        "SKU-1", "SKU-2", "SKU,3"]
    manager.screenshot("collection")
    exported = requests.get(server.base_url + collection_path + "/export", cookies=cookies(manager), timeout=30)
    assert exported.status_code == 200 and exported.text.splitlines() == ["item", "SKU-1", "SKU-2", '"SKU,3"']

    manager.fill("items", "no item column\nx\n")
    manager.submit("Import items")
    assert "/items" in manager.text(".errors") and "item column" in manager.text(".errors")

    manager.open("/collections")
    assert "summer_skus" in manager.text("#collections")
    manager.screenshot("collections")


def test_campaign_collections_live_under_their_campaign(manager, server):
    application_id = create_application(manager, "Campaign collection shop")
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "Collection campaign")
    manager.submit("Create campaign")
    campaign_path = manager.driver.current_url.replace(server.base_url, "").split("?")[0]
    link = manager.driver.find_element(By.CSS_SELECTOR, "nav.subnav a[href$='/collections']")
    assert link.get_attribute("href") == server.base_url + campaign_path + "/collections"
    manager.open(campaign_path + "/collections")
    assert manager.text("h1") == "Collections of Collection campaign"
    manager.fill("name", "excluded_skus")
    manager.submit("Create collection")
    assert manager.text("h1") == "Collection excluded_skus"
    manager.open(campaign_path + "/collections")
    assert "excluded_skus" in manager.text("#collections")
    manager.open("/collections")
    assert "excluded_skus" not in manager.text("main")


def test_referral_codes_are_created_for_an_advocate_searched_and_exported(manager, server):
    application_id = create_application(manager, "Referral shop")
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "Bring a friend")
    manager.driver.find_element(By.ID, "couponValid").click()
    manager.driver.find_element(By.ID, "referralValid").click()
    rules = manager.driver.find_element(By.ID, "rules")
    wait_for(manager, lambda: '"referralValid"' in rules.get_attribute("value")
             and '"couponValid"' not in rules.get_attribute("value"))
    manager.submit("Create campaign")
    assert manager.text("h1") == "Bring a friend"

    referrals = f"/applications/{application_id}/referrals"
    manager.open(referrals)
    assert "No referral code found." in manager.text("main")
    manager.fill("advocateProfileIntegrationId", "advocate-<1>")
    manager.submit("Create referral code")
    code = manager.text("#new-referral")
    assert code and code in manager.text("#referrals") and "advocate-<1>" in manager.text("#referrals")
    manager.fill("advocateProfileIntegrationId", "advocate-2")
    manager.submit("Create referral code")
    other = manager.text("#new-referral")
    manager.screenshot("referrals")

    manager.open(referrals + "?advocate=advocate-2")
    assert other in manager.text("#referrals") and code not in manager.text("#referrals")
    exported = requests.get(server.base_url + referrals + "/export", cookies=cookies(manager), timeout=30)
    lines = exported.text.splitlines()
    assert exported.status_code == 200 and lines[0].startswith("code,advocateprofileintegrationid")
    assert sorted(line.split(",")[0] for line in lines[1:]) == sorted([code, other])


def test_a_referral_code_needs_a_referral_campaign(manager):
    application_id = create_application(manager, "No referral shop")
    manager.open(f"/applications/{application_id}/referrals")
    assert "No campaign of this application has the referrals feature." in manager.text("main")
