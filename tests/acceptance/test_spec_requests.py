"""Requests the published spec allows are accepted (returns by SKU, spec-only responseContent values, empty
coupon codes, bulk profiles by `integrationId`); what the data model forbids is refused with its pointer."""
import requests

from test_customer_sessions import assert_400_naming, raw_put

CART = [{"sku": "shirt", "quantity": 2, "price": 20}, {"sku": "socks", "quantity": 1, "price": 5}]


def headers(key):
    return {"Authorization": f"ApiKey-v1 {key}"}


def return_items(base_url, key, session_id, *lines):
    return requests.post(f"{base_url}/v2/customer_sessions/{session_id}/returns", headers=headers(key),
                         json={"return": {"returnedCartItems": list(lines)}})


def test_a_return_names_the_item_by_sku(base_url, integration_key):
    closed = raw_put(base_url, integration_key, "by-sku", {"customerSession": {"cartItems": CART, "state": "closed"}})
    assert closed.status_code == 200, closed.text
    response = return_items(base_url, integration_key, "by-sku", {"sku": "socks"}, {"sku": "shirt", "quantity": 2})
    assert response.status_code == 200, response.text
    session = requests.get(f"{base_url}/v2/customer_sessions/by-sku", headers=headers(integration_key)).json()
    assert [(i["sku"], i["returnedQuantity"]) for i in session["customerSession"]["cartItems"]] == [
        ("shirt", 2), ("socks", 1)]
    assert session["customerSession"]["state"] == "partially_returned"


def test_a_return_line_needs_a_position_or_a_sku_that_matches(base_url, integration_key):
    raw_put(base_url, integration_key, "lines", {"customerSession": {"cartItems": CART, "state": "closed"}})
    assert_400_naming(return_items(base_url, integration_key, "lines", {"quantity": 1}),
                      "/return/returnedCartItems/0")
    assert_400_naming(return_items(base_url, integration_key, "lines", {"sku": "hat"}),
                      "/return/returnedCartItems/0/sku")
    assert_400_naming(return_items(base_url, integration_key, "lines", {"position": 0, "sku": "socks"}),
                      "/return/returnedCartItems/0/sku")


def test_spec_values_the_engine_does_not_use_are_accepted(base_url, integration_key):
    response = raw_put(base_url, integration_key, "lenient", {
        "customerSession": {"cartItems": CART, "couponCodes": [""], "product": {"name": "x"}},
        "responseContent": ["customerSession", "previousReturns", "campaignEligibility"]})
    assert response.status_code == 200, response.text
    assert response.json()["customerSession"]["couponCodes"] == [""]


def test_bulk_profiles_name_the_profile_integration_id(base_url, integration_key):
    response = requests.put(f"{base_url}/v2/customer_profiles", params={"silent": "no"}, headers=headers(integration_key),
                            json={"customerProfiles": [{"integrationId": "bulk-spec", "attributes": {}}]})
    assert response.status_code == 200, response.text
    assert response.json()["integrationStates"][0]["customerProfile"]["integrationId"] == "bulk-spec"
    missing = requests.put(f"{base_url}/v2/customer_profiles", headers=headers(integration_key),
                           json={"customerProfiles": [{"attributes": {}}]})
    assert_400_naming(missing, "/customerProfiles/0/integrationId")


def test_a_number_too_big_for_its_field_is_named(base_url, integration_key):
    response = requests.post(f"{base_url}/v2/events", headers={**headers(integration_key), "Content-Type": "application/json"},
                             data='{"type": "x", "evaluableCampaignIds": [1, 19443950890681052682811991035740]}')
    assert_400_naming(response, "/evaluableCampaignIds/1")


def test_what_the_spec_forbids_is_refused_with_its_pointer(base_url, integration_key):
    # `storeIntegrationId` has minLength 1 and would come back in the session, where the spec requires it too.
    response = raw_put(base_url, integration_key, "no-store", {"customerSession": {"storeIntegrationId": ""}})
    assert_400_naming(response, "/customerSession/storeIntegrationId")
