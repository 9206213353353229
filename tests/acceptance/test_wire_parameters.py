"""Issue 10: documented parameters do what the spec says; profiles and events run rules as sessions do."""
import datetime
import uuid

import pytest
import requests
import talon_one
from talon_one.models import IntegrationStateV2

from test_attributes import new_attribute
from test_promotions import TUTORIAL_CART, Shop, discounts


@pytest.fixture
def shop(admin, base_url):
    return Shop(admin, base_url)


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def headers(shop):
    return {"Authorization": f"ApiKey-v1 {shop.key}"}


def test_now_evaluates_a_dry_run_as_at_a_future_time(shop, base_url):
    start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)
    shop.campaign([{"title": "5 off", "condition": ["=", 1, 1], "effects": [["setDiscount", "5 off", 5]]}],
                  features=(), startTime=rfc3339(start))
    url = f"{base_url}/v2/customer_sessions/later"
    body = {"customerSession": {"cartItems": TUTORIAL_CART}}
    assert discounts(requests.put(url, json=body, headers=headers(shop)).json()["effects"]) == []
    future = rfc3339(start + datetime.timedelta(hours=1))
    dry = requests.put(url, params={"dry": "true", "now": future}, json=body, headers=headers(shop))
    assert dry.status_code == 200, dry.text
    assert discounts(dry.json()["effects"]) == [5]
    # Only with dry runs, only in the future; a bad value names the parameter.
    for params, message in [({"now": future}, "dry"), ({"dry": "true", "now": "2001-01-01T00:00:00Z"}, "future"),
                            ({"dry": "true", "now": "tomorrow"}, "RFC 3339")]:
        refused = requests.put(url, params=params, json=body, headers=headers(shop))
        assert refused.status_code == 400, refused.text
        assert "now" in refused.json()["errors"][0]["source"]["parameter"] + refused.json()["message"]
        assert message in refused.text
    # Nothing of the dry run was stored: the session still has no discount.
    stored = requests.get(url, headers=headers(shop)).json()
    assert discounts(stored["effects"]) == []


def test_dry_returns_change_nothing(shop, base_url):
    campaign = shop.campaign([{"title": "10 off", "condition": ["=", 1, 1],
                               "effects": [["setDiscountPerItem", "10 off", 10, 0]]}], features=())
    shop.session("dry-ret", profileId="r", cartItems=TUTORIAL_CART, state="closed")
    url = f"{base_url}/v2/customer_sessions/dry-ret/returns"
    body = {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}}
    dry = requests.post(url, params={"dry": "true", "runRuleEngine": "false"}, json=body, headers=headers(shop))
    assert dry.status_code == 200, dry.text
    IntegrationStateV2.from_dict(dry.json())
    assert [e["effectType"] for e in dry.json()["effects"]] == ["rollbackDiscount"]
    assert dry.json()["customerSession"]["state"] == "partially_returned"
    assert shop.fetch_campaign(campaign).discount_count == 10  # the dry return gave nothing back
    stored = requests.get(f"{base_url}/v2/customer_sessions/dry-ret", headers=headers(shop)).json()
    assert stored["customerSession"]["state"] == "closed"
    real = requests.post(url, json=body, headers=headers(shop))
    assert real.status_code == 200 and shop.fetch_campaign(campaign).discount_count == 0


def test_running_campaigns_honour_time_filters_and_are_all_listed(shop, base_url):
    now = datetime.datetime.now(datetime.timezone.utc)
    early = shop.campaign([], features=(), name="early", startTime=rfc3339(now - datetime.timedelta(days=10)))
    late = shop.campaign([], features=(), name="late", startTime=rfc3339(now - datetime.timedelta(days=1)),
                         endTime=rfc3339(now + datetime.timedelta(days=5)))
    undated = shop.campaign([], features=(), name="undated")
    url = f"{base_url}/v1/integration/campaigns"

    def ids(**params):
        response = requests.get(url, params=params, headers=headers(shop))
        assert response.status_code == 200, response.text
        return sorted(c["id"] for c in response.json()["data"])

    assert ids() == sorted([early.id, late.id, undated.id])
    assert ids(startAfter=rfc3339(now - datetime.timedelta(days=2))) == [late.id]
    assert ids(startBefore=rfc3339(now - datetime.timedelta(days=2))) == [early.id]
    assert ids(endBefore=rfc3339(now + datetime.timedelta(days=6))) == [late.id]
    assert ids(endAfter=rfc3339(now + datetime.timedelta(days=6))) == []
    assert ids(campaignIds=f"{early.id},{undated.id}") == sorted([early.id, undated.id])
    assert ids(pageSize=1, skip=2) == [sorted([early.id, late.id, undated.id])[2]]
    bad = requests.get(url, params={"startAfter": "soon"}, headers=headers(shop))
    assert bad.status_code == 400 and "startAfter" in bad.text


def test_profile_updates_and_events_run_rules_like_sessions(shop, base_url, mgmt_api):
    tier = f"Tier{uuid.uuid4().hex[:6]}"
    mgmt_api.create_attribute(new_attribute("CustomerProfile", tier, "string"))
    campaign = shop.campaign([{
        "title": "welcome", "condition": ["=", [".", "Profile", "Attributes", tier], "gold"],
        "effects": [["updateAttribute", "Profile.Attributes.Welcomed", "yes"], ["createCoupon", ""],
                    ["customEffect", "hello", ["kv", ["tier", "gold"]]]],
    }, {
        "title": "on review", "condition": ["=", [".", "Event", "Type"], "review"],
        "effects": [["createCoupon", ""]],
    }], features=("coupons",), limits=[{"action": "createCoupon", "limit": 3, "entities": []}])
    url = f"{base_url}/v2/customer_profiles/gold-1"
    response = requests.put(url, params={"runRuleEngine": "true"}, headers=headers(shop), json={
        "attributes": {tier: "gold"}, "responseContent": ["customerProfile", "triggeredCampaigns"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [e["effectType"] for e in body["effects"]] == ["updateAttribute", "couponCreated", "customEffect"]
    assert body["customerProfile"]["attributes"] == {tier: "gold", "Welcomed": "yes"}
    assert [c["id"] for c in body["triggeredCampaigns"]] == [campaign.id]
    [created] = body["createdCoupons"]
    assert created["recipientIntegrationId"] == "gold-1" and created["id"] > 0
    assert shop.coupon(campaign, created["value"]).id == created["id"]
    counted = shop.fetch_campaign(campaign)
    assert counted.coupon_creation_count == 1 and counted.custom_effect_count == 1

    # A custom event runs the rules with the event bound; a dry one stores nothing.
    event = {"profileId": "gold-2", "type": "review", "attributes": {}, "responseContent": ["triggeredCampaigns"]}
    dry = requests.post(f"{base_url}/v2/events", params={"dry": "true"}, json=event, headers=headers(shop))
    assert dry.status_code == 200 and [e["effectType"] for e in dry.json()["effects"]] == ["couponCreated"]
    assert shop.fetch_campaign(campaign).coupon_creation_count == 1
    tracked = requests.post(f"{base_url}/v2/events", json=event, headers=headers(shop)).json()
    assert [e["effectType"] for e in tracked["effects"]] == ["couponCreated"]
    assert [c["id"] for c in tracked["triggeredCampaigns"]] == [campaign.id]
    assert len(tracked["createdCoupons"]) == 1

    # Bulk updates run the rules for every profile, in one transaction; the createCoupon budget (3) holds.
    bulk = requests.put(f"{base_url}/v2/customer_profiles", params={"silent": "no"}, headers=headers(shop), json={
        "customerProfiles": [{"profileId": f"bulk-{n}", "attributes": {tier: "gold"}} for n in range(3)]})
    assert bulk.status_code == 200, bulk.text
    states = bulk.json()["integrationStates"]
    assert [s["customerProfile"]["attributes"]["Welcomed"] for s in states] == ["yes"] * 3
    created_in_bulk = [e for s in states for e in s.get("effects", []) if e["effectType"] == "couponCreated"]
    assert len(created_in_bulk) == 1  # 2 were created before: the budget of 3 leaves one
    assert shop.fetch_campaign(campaign).coupon_creation_count == 3


def test_rule_failure_reasons_name_the_condition_that_failed(shop, base_url):
    campaign = shop.campaign([{
        "title": "big shirt carts", "condition": ["and", [">", [".", "Session", "Total"], 10],
                                                 [">", [".", "Session", "Total"], 1000]],
        "effects": [["setDiscount", "big", 50]],
    }, {
        "title": "applies", "condition": ["=", 1, 1], "effects": [["setDiscount", "small", 1]],
    }, {
        "title": "no such item", "condition": ["=", 1, 1], "effects": [["setDiscountPerItem", "x", 1, 9]],
    }], features=(), name="explained")
    response = requests.put(f"{base_url}/v2/customer_sessions/why", headers=headers(shop), json={
        "customerSession": {"cartItems": TUTORIAL_CART}, "responseContent": ["ruleFailureReasons"]})
    assert response.status_code == 200, response.text
    IntegrationStateV2.from_dict(response.json())
    reasons = response.json()["ruleFailureReasons"]
    assert [(r["ruleIndex"], r["ruleName"], r.get("conditionIndex"), r.get("effectIndex")) for r in reasons] == [
        (0, "big shirt carts", 1, None), (2, "no such item", None, 0)]
    assert all(r["campaignID"] == campaign.id and r["campaignName"] == "explained" for r in reasons)
    assert "/rules/0/condition/2" in reasons[0]["details"]
    assert "/rules/2/effects/0" in reasons[1]["details"]
    # Without asking, nothing is computed or sent.
    plain = requests.put(f"{base_url}/v2/customer_sessions/why", headers=headers(shop),
                         json={"customerSession": {"cartItems": TUTORIAL_CART}})
    assert "ruleFailureReasons" not in plain.json()


def test_previous_returns_and_the_return_record(shop, base_url):
    shop.campaign([{"title": "1 off", "condition": ["=", 1, 1], "effects": [["setDiscount", "1 off", 1]]}],
                  features=())
    cart = [dict(TUTORIAL_CART[0], quantity=3), TUTORIAL_CART[1]]
    shop.session("returning", profileId="ret-p", cartItems=cart, state="closed")
    url = f"{base_url}/v2/customer_sessions/returning"
    first = requests.post(url + "/returns", headers=headers(shop),
                          json={"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}})
    assert first.status_code == 200, first.text
    record = first.json()["return"]
    assert record["returnedCartItems"] == [{"position": 0, "quantity": 1, "sku": "rdbs-1111"}]
    assert record["sessionIntegrationId"] == "returning" and record["eventId"] == record["id"]
    second = requests.post(url + "/returns", headers=headers(shop),
                           json={"return": {"returnedCartItems": [{"position": 1, "quantity": 1}]}}).json()["return"]
    answer = requests.put(url, headers=headers(shop), json={"customerSession": {"state": "cancelled"},
                                                             "responseContent": ["previousReturns"]})
    assert answer.status_code == 200, answer.text
    assert [r["id"] for r in answer.json()["previousReturns"]] == [record["id"], second["id"]]


def test_campaign_eligibility_says_which_campaigns_and_rules_applied(shop, base_url):
    applies = shop.campaign([{"title": "always", "condition": ["=", 1, 1], "effects": [["setDiscount", "a", 1]]},
                             {"title": "never", "condition": ["=", 1, 2], "effects": [["setDiscount", "b", 1]]}],
                            features=(), name="applies")
    fails = shop.campaign([{"title": "never", "condition": ["=", 1, 2], "effects": [["setDiscount", "c", 1]]}],
                          features=(), name="fails")
    response = requests.put(f"{base_url}/v2/customer_sessions/eligible", headers=headers(shop), json={
        "customerSession": {"cartItems": TUTORIAL_CART}, "responseContent": ["campaignEligibility"]})
    assert response.status_code == 200, response.text
    IntegrationStateV2.from_dict(response.json())
    by_id = {c["id"]: c for c in response.json()["campaignEligibility"]}
    assert by_id[applies.id]["eligibility"] == [{"passed": True}]
    assert [r["eligibility"][0]["passed"] for r in by_id[applies.id]["rules"]] == [True, False]
    assert by_id[fails.id]["eligibility"] == [{"passed": False, "details": {"failureCode": "ALL_RULES_FAILED"}}]


def test_additional_cost_discounts_carry_the_defined_cost_id(shop, base_url, mgmt_api):
    name = f"shipping{uuid.uuid4().hex[:6]}"
    cost = mgmt_api.create_additional_cost(talon_one.NewAdditionalCost(
        name=name, title="Shipping", description="", subscribed_applications_ids=[shop.application["id"]],
        type="session"))
    assert cost.name == name and cost.id > 0
    assert name in [c.name for c in mgmt_api.get_additional_costs(page_size=1000).data]
    updated = mgmt_api.update_additional_cost(cost.id, talon_one.NewAdditionalCost(
        name=name, title="Shipping costs", description="to the door", type="both"))
    assert updated.title == "Shipping costs" and mgmt_api.get_additional_cost(cost.id).type == "both"
    duplicate = shop.admin.http.post(shop.admin.url("/v1/additional_costs"),
                                     json={"name": name, "title": "again", "description": ""})
    assert duplicate.status_code == 409, duplicate.text
    shop.campaign([{"title": "free shipping", "condition": ["=", 1, 1],
                    "effects": [["setDiscountPerAdditionalCost", "free shipping", name, 5]]}], features=())
    effects = shop.session("shipping", cartItems=TUTORIAL_CART, additionalCosts={name: {"price": 5}})
    by_name = {e["props"]["name"]: e["props"] for e in effects}
    assert by_name["free shipping"]["additionalCostId"] == cost.id
    assert by_name["free shipping"]["additionalCost"] == name and by_name["free shipping"]["value"] == 5
    # Costs must be defined before sessions set them, and where their type allows.
    url = f"{base_url}/v2/customer_sessions/undefined-cost"
    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    unknown = requests.put(url, headers=headers, json={"customerSession": {
        "cartItems": TUTORIAL_CART, "additionalCosts": {name: {"price": 5}, "undefined": {"price": 2}}}})
    assert unknown.status_code == 400, unknown.text
    assert [e["source"]["pointer"] for e in unknown.json()["errors"]] == ["/customerSession/additionalCosts/undefined"]
    item_only = mgmt_api.create_additional_cost(talon_one.NewAdditionalCost(
        name=f"wrap{uuid.uuid4().hex[:6]}", title="Gift wrap", description="", type="item"))
    misplaced = requests.put(url, headers=headers, json={"customerSession": {
        "cartItems": [{**TUTORIAL_CART[0], "additionalCosts": {name: {"price": 1}, item_only.name: {"price": 2}}}],
        "additionalCosts": {item_only.name: {"price": 2}}}})
    assert misplaced.status_code == 400, misplaced.text
    assert sorted(e["source"]["pointer"] for e in misplaced.json()["errors"]) == [
        f"/customerSession/additionalCosts/{item_only.name}"]
    placed = requests.put(url, headers=headers, json={"customerSession": {
        "cartItems": [{**TUTORIAL_CART[0], "additionalCosts": {name: {"price": 1}, item_only.name: {"price": 2}}}]}})
    assert placed.status_code == 200, placed.text
    # A cost subscribed to some applications is unknown to the others.
    mine = mgmt_api.create_additional_cost(talon_one.NewAdditionalCost(
        name=f"mine{uuid.uuid4().hex[:6]}", title="Mine", description="",
        subscribed_applications_ids=[shop.application["id"]]))
    other = shop.admin.create_application("not subscribed")
    elsewhere = requests.put(f"{base_url}/v2/customer_sessions/elsewhere", json={"customerSession": {
        "additionalCosts": {mine.name: {"price": 1}}}},
        headers={"Authorization": f"ApiKey-v1 {shop.admin.create_api_key(other['id'])}"})
    assert elsewhere.status_code == 400, elsewhere.text
    assert requests.put(url, headers=headers, json={"customerSession": {
        "additionalCosts": {mine.name: {"price": 1}}}}).status_code == 200


def test_custom_effects_carry_a_stable_effect_id(shop):
    rule = {"title": "say hi", "condition": ["=", 1, 1], "effects": [["customEffect", "greeting", ["kv", ["n", 1]]]]}
    shop.campaign([rule], features=(), name="first")
    shop.campaign([rule], features=(), name="second")
    effects = [e for e in shop.session("custom", cartItems=TUTORIAL_CART) if e["effectType"] == "customEffect"]
    assert len(effects) == 2
    ids = {e["props"]["effectId"] for e in effects}
    assert len(ids) == 1 and ids.pop() > 0  # one definition per name, shared by the account's campaigns
    assert effects[0]["props"]["payload"] == {"n": 1}


def test_a_custom_effect_payload_must_be_a_map(shop, base_url):
    shop.campaign([{"title": "scalar", "condition": ["=", 1, 1], "effects": [["customEffect", "bad", 5]]}],
                  features=(), name="scalar payload")
    response = requests.put(f"{base_url}/v2/customer_sessions/scalar", headers=headers(shop), json={
        "customerSession": {"cartItems": TUTORIAL_CART}, "responseContent": ["ruleFailureReasons"]})
    assert response.status_code == 200, response.text
    assert [e for e in response.json()["effects"] if e["effectType"] == "customEffect"] == []
    [reason] = response.json()["ruleFailureReasons"]
    assert reason["effectIndex"] == 0 and "must be a map" in reason["details"]
