"""Campaigns, rulesets and coupons driving the engine end to end: effects, rejection reasons, limits."""
import concurrent.futures
import datetime
import uuid

import pytest
import requests
import talon_one
from talon_one.models import Campaign, Coupon, ErrorResponseWithStatus

TWENTY_PERCENT = {
    "title": "20% off with a valid coupon",
    "condition": ["couponValid"],
    "effects": [["setDiscount", "20% off", ["*", [".", "Session", "Total"], ["/", 20, 100]]]],
}


class Shop:
    """An application with a key and helpers to add campaigns, rulesets and coupons over HTTP."""

    def __init__(self, admin, base_url, **settings):
        self.admin, self.base_url = admin, base_url
        self.application = admin.create_application("Promotions", **settings)
        self.key = admin.create_api_key(self.application["id"])
        self.prefix = f"/v1/applications/{self.application['id']}"

    def campaign(self, rules, features=("coupons",), **fields):
        body = {"name": fields.pop("name", "campaign"), "state": "enabled", "tags": [], "features": list(features),
                "limits": [], **fields}
        response = self.admin.http.post(self.admin.url(self.prefix + "/campaigns"), json=body)
        assert response.status_code == 201, response.text
        campaign = Campaign.from_dict(response.json())
        ruleset = self.admin.http.post(self.admin.url(f"{self.prefix}/campaigns/{campaign.id}/rulesets"),
                                       json={"rules": rules, "bindings": [], "activate": True})
        assert ruleset.status_code == 201, ruleset.text
        return campaign

    def coupons(self, campaign, **body):
        response = self.admin.http.post(
            self.admin.url(f"{self.prefix}/campaigns/{campaign.id}/coupons"), params={"silent": "no"},
            json={"numberOfCoupons": 1, **body})
        assert response.status_code == 200, response.text
        return [Coupon.from_dict(c) for c in response.json()["data"]]

    def coupon(self, campaign, code):
        found = self.admin.http.get(self.admin.url(f"{self.prefix}/campaigns/{campaign.id}/coupons/no_total"),
                                    params={"value": code}).json()["data"]
        return Coupon.from_dict(found[0])

    def fetch_campaign(self, campaign):
        return Campaign.from_dict(self.admin.http.get(self.admin.url(f"{self.prefix}/campaigns/{campaign.id}")).json())

    def session(self, session_id, **customer_session):
        response = requests.put(f"{self.base_url}/v2/customer_sessions/{session_id}",
                                json={"customerSession": customer_session},
                                headers={"Authorization": f"ApiKey-v1 {self.key}"})
        assert response.status_code == 200, response.text
        return response.json()["effects"]


TUTORIAL_CART = [{"name": "Red Spring Blouse", "sku": "rdbs-1111", "quantity": 1, "price": 49, "category": "Shirts"},
                 {"name": "Denim Trousers", "sku": "dtr-2222", "quantity": 1, "price": 74, "category": "Trousers"}]


@pytest.fixture
def shop(admin, base_url):
    return Shop(admin, base_url)


def reasons(effects):
    return [e["props"]["rejectionReason"] for e in effects if e["effectType"] == "rejectCoupon"]


def discounts(effects):
    return [e["props"]["value"] for e in effects if e["effectType"].startswith("setDiscount")]


def test_tutorial_through_sdk_26(shop, base_url):
    campaign = shop.campaign([TWENTY_PERCENT])
    shop.coupons(campaign, couponPattern="xmas20")
    configuration = talon_one.Configuration(host=base_url, api_key={"api_key_v1": shop.key},
                                            api_key_prefix={"api_key_v1": "ApiKey-v1"})
    api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
    session = talon_one.NewCustomerSessionV2(
        cart_items=[talon_one.CartItem(**item) for item in TUTORIAL_CART], coupon_codes=["xmas20"])
    state = api.update_customer_session_v2("tutorial", talon_one.IntegrationRequest(customer_session=session))
    assert [e.effect_type for e in state.effects] == ["acceptCoupon", "setDiscount"]
    assert state.effects[1].props["value"] == 24.6
    assert state.effects[1].campaign_id == campaign.id


@pytest.mark.parametrize("coupon_fields,session_fields,reason", [
    ({"usageLimit": 1}, {}, None),
    ({"expiryDate": "2001-01-01T00:00:00Z", "startDate": "2000-01-01T00:00:00Z"}, {}, "CouponExpired"),
    ({"startDate": "2098-01-01T00:00:00Z"}, {}, "CouponStartDateInFuture"),
    ({"recipientIntegrationId": "alice"}, {"profileId": "bob"}, "CouponRecipientDoesNotMatch"),
])
def test_coupon_rejection_reasons(shop, coupon_fields, session_fields, reason):
    campaign = shop.campaign([TWENTY_PERCENT])
    shop.coupons(campaign, couponPattern="CODE-0001", **coupon_fields)
    effects = shop.session("s", cartItems=TUTORIAL_CART, couponCodes=["CODE-0001"], **session_fields)
    assert reasons(effects) == ([reason] if reason else [])
    assert discounts(effects) == ([] if reason else [24.6])


def test_unknown_code_and_not_running_campaign(shop):
    running = shop.campaign([TWENTY_PERCENT])
    paused = shop.campaign([TWENTY_PERCENT], name="paused")
    shop.coupons(paused, couponPattern="PAUSED-1")
    shop.admin.http.put(shop.admin.url(f"{shop.prefix}/campaigns/{paused.id}"),
                        json={"name": "paused", "state": "disabled", "tags": [], "features": ["coupons"], "limits": []})
    effects = shop.session("s", cartItems=TUTORIAL_CART, couponCodes=["NOPE-1234", "PAUSED-1"])
    assert sorted(reasons(effects)) == ["CouponNotFound", "CouponPartOfNotRunningCampaign"]
    assert running.id > 0


def test_coupon_rejected_by_condition_and_exhausted(shop):
    big_carts = {"title": "big carts", "condition": ["and", ["couponValid"], [">", [".", "Session", "Total"], 500]],
                 "effects": [["setDiscount", "50 off", 50]]}
    campaign = shop.campaign([big_carts])
    shop.coupons(campaign, couponPattern="BIG-0001", usageLimit=1)
    assert reasons(shop.session("small", cartItems=TUTORIAL_CART, couponCodes=["BIG-0001"])) == ["CouponRejectedByCondition"]
    big = [{"sku": "tv", "quantity": 1, "price": 999}]
    assert discounts(shop.session("big", cartItems=big, couponCodes=["BIG-0001"], state="closed")) == [50]
    assert reasons(shop.session("late", cartItems=big, couponCodes=["BIG-0001"])) == ["CouponLimitReached"]


def test_fifty_concurrent_closes_redeem_a_single_use_coupon_once(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    shop.coupons(campaign, couponPattern="ONCE-ONLY", usageLimit=1)

    def close(number):
        return shop.session(f"race-{number}", cartItems=TUTORIAL_CART, couponCodes=["ONCE-ONLY"], state="closed")

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(close, range(50)))
    accepted = sum(1 for effects in results if any(e["effectType"] == "acceptCoupon" for e in effects))
    limited = sum(1 for effects in results if reasons(effects) == ["CouponLimitReached"])
    assert accepted == 1 and limited == 49
    assert shop.coupon(campaign, "ONCE-ONLY").usage_counter == 1
    assert shop.fetch_campaign(campaign).coupon_redemption_count == 1


def test_cancel_rolls_back_the_redemption_and_the_counters(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    shop.coupons(campaign, couponPattern="ROLL-BACK", usageLimit=1)
    shop.session("buy", cartItems=TUTORIAL_CART, couponCodes=["ROLL-BACK"], profileId="roller", state="closed")
    assert shop.coupon(campaign, "ROLL-BACK").usage_counter == 1
    assert shop.fetch_campaign(campaign).discount_count == 24.6
    effects = shop.session("buy", state="cancelled")
    assert sorted(e["effectType"] for e in effects) == ["rollbackCoupon", "rollbackDiscount"]
    assert shop.coupon(campaign, "ROLL-BACK").usage_counter == 0
    after = shop.fetch_campaign(campaign)
    assert after.coupon_redemption_count == 0 and after.discount_count == 0
    # The coupon is usable again.
    assert discounts(shop.session("again", cartItems=TUTORIAL_CART, couponCodes=["ROLL-BACK"])) == [24.6]


def test_discounts_never_go_below_zero_and_cart_rules_work(shop):
    rules = [
        {"title": "trousers", "condition": ["exists", [".", "Session", "CartItems"],
                                            [["Item"], ["=", [".", "Item", "Category"], "Trousers"]]],
         "effects": [["setDiscountPerItem", "10 off trousers", 10, 1]]},
        {"title": "huge", "condition": [">", [".", "Session", "Total"], 100], "effects": [["setDiscount", "huge", 500]]},
    ]
    shop.campaign(rules, features=())
    effects = shop.session("cart", cartItems=TUTORIAL_CART)
    assert discounts(effects) == [10, 113]  # 123 - 10 is all that is left for the second discount


def test_bad_ruleset_is_refused_with_its_path(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    response = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/rulesets"), json={
        "rules": [{"title": "typo", "condition": ["and", ["couponValid"], [">", [".", "Session", "Totl"], 100]],
                   "effects": [["setDiscount", "x", "ten"]]}], "bindings": []})
    assert response.status_code == 400
    error = ErrorResponseWithStatus.from_dict(response.json())
    pointers = [problem.source.pointer for problem in error.errors]
    assert any(p.startswith("/rules/0/condition/2/1") for p in pointers), pointers
    assert any(p.startswith("/rules/0/effects/0") for p in pointers), pointers


def test_coupon_generation_is_unique_and_refuses_a_too_small_pattern(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    created = shop.coupons(campaign, numberOfCoupons=2000, couponPattern="GEN-######")
    assert len({c.value for c in created}) == 2000
    response = shop.admin.http.post(
        shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons"),
        json={"numberOfCoupons": 100, "couponPattern": "AB-#", "validCharacters": ["A", "B"]})
    assert response.status_code == 400
    assert "/couponPattern" in response.json()["message"]
    duplicate = shop.admin.http.post(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons"),
                                     json={"numberOfCoupons": 1, "couponPattern": created[0].value})
    assert duplicate.status_code == 409


def test_response_content_and_running_campaigns(shop, base_url):
    from talon_one.models import IntegrationStateV2
    campaign = shop.campaign([TWENTY_PERCENT], name="content")
    shop.coupons(campaign, couponPattern="MINE-0001")
    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    shop.session("first", cartItems=TUTORIAL_CART, couponCodes=["MINE-0001"], profileId="me", state="closed")
    response = requests.put(f"{base_url}/v2/customer_sessions/second", headers=headers, json={
        "customerSession": {"cartItems": TUTORIAL_CART, "couponCodes": ["MINE-0001"], "profileId": "me"},
        "responseContent": ["customerSession", "customerProfile", "event", "triggeredCampaigns", "coupons"]})
    body = response.json()
    # The event's effects have the spec's v1 shape, arrays; SDK 26.2's `Event` model wants objects (the spec wins).
    ruleset_id = shop.fetch_campaign(campaign).active_ruleset_id
    assert [effect[:3] + [effect[3][0]] for effect in body["event"]["effects"]] == [
        [campaign.id, ruleset_id, 0, "acceptCoupon"], [campaign.id, ruleset_id, 0, "setDiscount"]]
    assert body["customerSession"]["coupon"] == "MINE-0001"
    state = IntegrationStateV2.from_dict({key: value for key, value in body.items() if key != "event"})
    assert [c.id for c in state.triggered_campaigns] == [campaign.id]
    assert [(c.value, c.usage_counter, c.profile_redemption_count) for c in state.coupons] == [("MINE-0001", 1, 1)]
    assert state.customer_profile.closed_sessions == 1
    running = requests.get(f"{base_url}/v1/integration/campaigns", headers=headers).json()
    assert [c["id"] for c in running["data"]] == [campaign.id]


def test_campaign_redemption_budget_holds_under_concurrency(shop):
    campaign = shop.campaign([TWENTY_PERCENT], limits=[{"action": "redeemCoupon", "limit": 2, "entities": []}])
    codes = [c.value for c in shop.coupons(campaign, numberOfCoupons=12, couponPattern="BUDGET-####")]

    def close(index):
        return shop.session(f"budget-{index}", cartItems=TUTORIAL_CART, couponCodes=[codes[index]], state="closed")

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(close, range(12)))
    accepted = sum(1 for effects in results if any(e["effectType"] == "acceptCoupon" for e in effects))
    assert accepted == 2
    assert sum(reasons(effects) == ["CampaignLimitReached"] for effects in results) == 10
    assert shop.fetch_campaign(campaign).coupon_redemption_count == 2


def test_campaign_discount_budget_caps_discounts(shop):
    rule = {"title": "25 off", "condition": [">", [".", "Session", "Total"], 0], "effects": [["setDiscount", "25 off", 25]]}
    campaign = shop.campaign([rule], features=(), limits=[{"action": "setDiscount", "limit": 60, "entities": []}])
    given = [discounts(shop.session(f"spend-{i}", cartItems=TUTORIAL_CART, state="closed")) for i in range(4)]
    assert given == [[25], [25], [10], [0]]
    assert shop.fetch_campaign(campaign).discount_count == 60


def test_every_effect_function_reaches_the_shop(shop):
    # Sessions may only name additional costs the account defines.
    shipping = f"shipping{uuid.uuid4().hex[:6]}"
    defined = shop.admin.http.post(shop.admin.url("/v1/additional_costs"),
                                   json={"name": shipping, "title": "Shipping", "description": ""})
    assert defined.status_code == 201, defined.text
    rules = [{"title": "everything", "condition": [">", [".", "Session", "Total"], 0], "effects": [
        ["setDiscountPerAdditionalCost", "free shipping", shipping, 5],
        ["addFreeItem", "gift-1", "Gift"],
        ["showNotification", "info", "Hello", "A gift is in your cart"],
        ["updateAttribute", "Session.Attributes.Gifted", True],
        ["customEffect", "ping", ["kv", ["level", 2]]],
    ]}]
    campaign = shop.campaign(rules, features=())
    effects = shop.session("fx", cartItems=TUTORIAL_CART, additionalCosts={shipping: {"price": 4}})
    by_type = {e["effectType"]: e for e in effects}
    assert set(by_type) == {"setDiscountPerAdditionalCost", "addFreeItem", "showNotification", "updateAttribute",
                            "customEffect"}
    assert by_type["setDiscountPerAdditionalCost"]["props"]["value"] == 4  # capped at the cost's price
    assert by_type["addFreeItem"]["props"] == {"sku": "gift-1", "name": "Gift"}
    assert by_type["showNotification"]["props"]["title"] == "Hello"
    assert by_type["updateAttribute"]["props"] == {"path": "Session.Attributes.Gifted", "value": True}
    assert by_type["customEffect"]["props"]["payload"] == {"level": 2}
    assert all(e["campaignId"] == campaign.id and e["ruleName"] == "everything" for e in effects)
    # An effect that cannot apply (no such additional cost) drops the whole rule, nothing half-applied.
    effects = shop.session("fx-2", cartItems=TUTORIAL_CART)
    assert effects == []


def test_per_profile_redemption_budget(shop):
    campaign = shop.campaign([TWENTY_PERCENT], limits=[{"action": "redeemCoupon", "limit": 1, "entities": ["Profile"]}])
    codes = [c.value for c in shop.coupons(campaign, numberOfCoupons=12, couponPattern="PP-#####")]
    assert reasons(shop.session("pp-1", cartItems=TUTORIAL_CART, couponCodes=[codes[0]], profileId="ann",
                                state="closed")) == []
    assert reasons(shop.session("pp-2", cartItems=TUTORIAL_CART, couponCodes=[codes[1]],
                                profileId="ann")) == ["ProfileLimitReached"]
    assert reasons(shop.session("pp-3", cartItems=TUTORIAL_CART, couponCodes=[codes[2]], profileId="bob")) == []

    def close(index):
        return shop.session(f"pp-race-{index}", cartItems=TUTORIAL_CART, couponCodes=[codes[3 + index]],
                            profileId="cid", state="closed")

    # Concurrent closes of one profile: the per-profile line admits three at a time; none may pass the budget.
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(close, range(3)))
    assert sum(any(e["effectType"] == "acceptCoupon" for e in effects) for effects in results) == 1


def test_create_coupon_effect_stores_a_coupon_for_the_recipient(shop, base_url):
    from talon_one.models import IntegrationStateV2
    rules = [{"title": "thank-you coupon on close",
              "condition": ["=", [".", "Session", "State"], "closed"],
              "effects": [["createCoupon", ""]]}]
    campaign = shop.campaign(rules, features=("coupons",))
    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    body = {"customerSession": {"profileId": "buyer-1", "cartItems": TUTORIAL_CART, "state": "closed"}}

    # A dry run shows the effect and stores nothing.
    dry = requests.put(f"{base_url}/v2/customer_sessions/thanks-dry", params={"dry": "true"}, json=body, headers=headers)
    assert dry.status_code == 200, dry.text
    assert [e["effectType"] for e in dry.json()["effects"]] == ["couponCreated"]
    listed = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons/no_total")).json()
    assert listed["data"] == []

    response = requests.put(f"{base_url}/v2/customer_sessions/thanks", json=body, headers=headers)
    assert response.status_code == 200, response.text
    state = IntegrationStateV2.from_dict(response.json())  # createdCoupons validate as the SDK's Coupon
    effect = next(e for e in response.json()["effects"] if e["effectType"] == "couponCreated")
    assert effect["props"]["profileId"] == "buyer-1"
    [created] = state.created_coupons
    assert created.value == effect["props"]["value"]
    assert created.recipient_integration_id == "buyer-1" and created.usage_limit == 1
    assert created.campaign_id == campaign.id
    stored = shop.coupon(campaign, created.value)
    assert stored.id == created.id

    # It is bound to its recipient.
    effects = shop.session("thanks-2", profileId="someone-else", cartItems=TUTORIAL_CART, couponCodes=[created.value])
    assert reasons(effects) == ["CouponRecipientDoesNotMatch"]


def test_update_attribute_effects_change_the_session_and_the_profile(shop, base_url):
    rules = [{"title": "vip", "condition": [">", [".", "Session", "Total"], 100], "effects": [
        ["updateAttribute", "Session.Attributes.ShippingMethod", "express"],
        ["updateAttribute", "Profile.Attributes.Name", "Valued Customer"],
    ]}]
    shop.campaign(rules, features=())
    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    response = requests.put(f"{base_url}/v2/customer_sessions/vip-1", headers=headers, json={
        "customerSession": {"profileId": "vip", "cartItems": TUTORIAL_CART},
        "responseContent": ["customerSession", "customerProfile"]})
    assert response.status_code == 200, response.text
    assert response.json()["customerSession"]["attributes"]["ShippingMethod"] == "express"
    assert response.json()["customerProfile"]["attributes"]["Name"] == "Valued Customer"
    stored = requests.get(f"{base_url}/v2/customer_sessions/vip-1", headers=headers).json()
    assert stored["customerSession"]["attributes"]["ShippingMethod"] == "express"
    # A dry run reports the change and stores nothing.
    requests.put(f"{base_url}/v2/customer_sessions/vip-2", params={"dry": "true"}, headers=headers, json={
        "customerSession": {"profileId": "vip-dry", "cartItems": TUTORIAL_CART}})
    customers = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/customers")).json()["data"]
    assert [c["integrationId"] for c in customers] == ["vip"]


def test_coupon_discount_limit_is_a_budget_spent_on_close_and_given_back_on_cancel(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    [coupon] = shop.coupons(campaign, couponPattern="BUDGET-30", discountLimit=30)

    def close(session_id):
        return shop.session(session_id, cartItems=TUTORIAL_CART, couponCodes=[coupon.value], state="closed")

    assert discounts(close("budget-1")) == [24.6]
    assert shop.coupon(campaign, coupon.value).discount_counter == 24.6
    assert discounts(close("budget-2")) == [5.4]  # what is left of the 30
    stored = shop.coupon(campaign, coupon.value)
    assert stored.discount_counter == 30 and stored.discount_remainder == 0
    assert reasons(close("budget-3")) == ["CouponLimitReached"]
    shop.session("budget-2", state="cancelled")
    assert shop.coupon(campaign, coupon.value).discount_counter == 24.6


def test_daily_redemption_budget_resets_the_next_day(shop, base_url):
    campaign = shop.campaign([TWENTY_PERCENT], limits=[{"action": "redeemCoupon", "limit": 2, "period": "daily", "entities": []}])
    codes = [c.value for c in shop.coupons(campaign, numberOfCoupons=4, couponPattern="DAY-####")]
    for n, code in enumerate(codes[:2]):
        assert discounts(shop.session(f"day-{n}", cartItems=TUTORIAL_CART, couponCodes=[code], state="closed")) == [24.6]
    assert reasons(shop.session("day-2", cartItems=TUTORIAL_CART, couponCodes=[codes[2]], state="closed")) == \
        ["CampaignLimitReached"]
    # A key whose clock runs a day ahead (timeOffset, in nanoseconds) sees a fresh daily budget.
    tomorrow = shop.admin.create_api_key(shop.application["id"], timeOffset=86_400 * 10**9)
    response = requests.put(f"{base_url}/v2/customer_sessions/day-3", headers={"Authorization": f"ApiKey-v1 {tomorrow}"},
                            json={"customerSession": {"cartItems": TUTORIAL_CART, "couponCodes": [codes[3]],
                                                      "state": "closed"}})
    assert discounts(response.json()["effects"]) == [24.6]
    # Cancelling yesterday's close gives its redemption back to yesterday's budget.
    shop.session("day-1", state="cancelled")
    assert discounts(shop.session("day-4", cartItems=TUTORIAL_CART, couponCodes=[codes[2]], state="closed")) == [24.6]


def test_per_profile_daily_budget(shop, base_url):
    campaign = shop.campaign([TWENTY_PERCENT], limits=[
        {"action": "redeemCoupon", "limit": 1, "period": "daily", "entities": ["Profile"]}])
    codes = [c.value for c in shop.coupons(campaign, numberOfCoupons=4, couponPattern="PDAY-####")]

    def close(session_id, profile, code, key=None):
        response = requests.put(f"{base_url}/v2/customer_sessions/{session_id}",
                                headers={"Authorization": f"ApiKey-v1 {key or shop.key}"},
                                json={"customerSession": {"profileId": profile, "cartItems": TUTORIAL_CART,
                                                          "couponCodes": [code], "state": "closed"}})
        assert response.status_code == 200, response.text
        return response.json()["effects"]

    assert discounts(close("pd-1", "ann", codes[0])) == [24.6]
    assert reasons(close("pd-2", "ann", codes[1])) == ["ProfileLimitReached"]
    assert discounts(close("pd-3", "bob", codes[1])) == [24.6]  # another profile has its own budget
    tomorrow = shop.admin.create_api_key(shop.application["id"], timeOffset=86_400 * 10**9)
    assert discounts(close("pd-4", "ann", codes[2], key=tomorrow)) == [24.6]  # a new day for ann


def test_a_coupons_own_per_profile_limit(shop):
    campaign = shop.campaign([TWENTY_PERCENT])
    [coupon] = shop.coupons(campaign, couponPattern="ONCE-EACH", usageLimit=0,
                            limits=[{"action": "redeemCoupon", "limit": 1, "entities": ["Profile"]}])

    def close(session_id, profile):
        fields = {"cartItems": TUTORIAL_CART, "couponCodes": [coupon.value], "state": "closed"}
        return shop.session(session_id, **({"profileId": profile} if profile else {}), **fields)

    assert discounts(close("once-1", "ann")) == [24.6]
    assert reasons(close("once-2", "ann")) == ["ProfileLimitReached"]
    assert discounts(close("once-3", "bob")) == [24.6]  # another profile may use it once too
    assert reasons(close("once-4", None)) == ["ProfileRequired"]
    shop.session("once-1", state="cancelled")  # ann's use given back
    assert discounts(close("once-5", "ann")) == [24.6]


def test_returns_give_back_item_discounts_and_cancel_gives_back_the_rest(shop, base_url):
    from talon_one.models import IntegrationStateV2
    campaign = shop.campaign([{"title": "10 off blouses", "condition": ["=", 1, 1],
                               "effects": [["setDiscountPerItem", "10 off blouses", 10, 0]]}], features=())
    cart = [{"name": "Blouse", "sku": "b-1", "quantity": 2, "price": 49, "category": "Shirts"},
            {"name": "Trousers", "sku": "t-1", "quantity": 1, "price": 74, "category": "Trousers"}]
    assert discounts(shop.session("ret-1", profileId="returner", cartItems=cart, state="closed")) == [10]
    assert shop.fetch_campaign(campaign).discount_count == 10
    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}

    def give_back(quantity):
        response = requests.post(f"{base_url}/v2/customer_sessions/ret-1/returns", headers=headers,
                                 json={"return": {"returnedCartItems": [{"position": 0, "quantity": quantity}]}})
        assert response.status_code == 200, response.text
        IntegrationStateV2.from_dict(response.json())
        return response.json()

    first = give_back(1)
    [rollback] = [e for e in first["effects"] if e["effectType"] == "rollbackDiscount"]
    assert rollback["props"]["value"] == 5 and rollback["props"]["cartItemPosition"] == 0
    assert rollback["campaignId"] == campaign.id
    assert first["customerProfile"]["totalSales"] == 123  # 172 closed, one 49 blouse back
    assert shop.fetch_campaign(campaign).discount_count == 5
    second = give_back(1)
    assert [e["props"]["value"] for e in second["effects"] if e["effectType"] == "rollbackDiscount"] == [5]
    assert shop.fetch_campaign(campaign).discount_count == 0
    # Cancelling the partially returned session gives back the rest, not what returns already did.
    effects = shop.session("ret-1", state="cancelled")
    assert [e["effectType"] for e in effects] == []  # nothing left to roll back: the whole discount came back
    assert shop.fetch_campaign(campaign).discount_count == 0
    profile = requests.put(f"{base_url}/v2/customer_profiles/returner", headers=headers,
                           json={"attributes": {}, "responseContent": ["customerProfile"]}).json()["customerProfile"]
    assert profile["totalSales"] == 0 and profile["closedSessions"] == 0


def test_cancelling_a_partially_returned_session_gives_the_coupon_back(shop, base_url):
    campaign = shop.campaign([TWENTY_PERCENT])
    [coupon] = shop.coupons(campaign, couponPattern="RET-COUPON", usageLimit=1)
    shop.session("ret-c", profileId="p-ret", cartItems=TUTORIAL_CART, couponCodes=[coupon.value], state="closed")
    assert shop.coupon(campaign, coupon.value).usage_counter == 1
    response = requests.post(f"{base_url}/v2/customer_sessions/ret-c/returns",
                             headers={"Authorization": f"ApiKey-v1 {shop.key}"},
                             json={"return": {"returnedCartItems": [{"position": 1, "quantity": 1}]}})
    assert response.status_code == 200, response.text
    effects = shop.session("ret-c", state="cancelled")
    assert "rollbackCoupon" in [e["effectType"] for e in effects]
    assert shop.coupon(campaign, coupon.value).usage_counter == 0
    assert shop.fetch_campaign(campaign).coupon_redemption_count == 0


def test_create_coupon_budget(shop):
    campaign = shop.campaign([{"title": "thank-you coupon", "condition": ["=", [".", "Session", "State"], "closed"],
                               "effects": [["createCoupon", ""]]}],
                             limits=[{"action": "createCoupon", "limit": 2, "entities": []}])
    created = [e for n in range(4) for e in shop.session(f"cc-{n}", profileId=f"cc-{n}", cartItems=TUTORIAL_CART,
                                                         state="closed") if e["effectType"] == "couponCreated"]
    assert len(created) == 2
    assert shop.fetch_campaign(campaign).coupon_creation_count == 2
    listed = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/coupons/no_total")).json()
    assert sorted(c["value"] for c in listed["data"]) == sorted(e["props"]["value"] for e in created)


def test_concurrent_closes_never_pass_a_coupons_discount_limit_or_a_per_profile_limit(shop, base_url):
    campaign = shop.campaign([TWENTY_PERCENT])
    [budget] = shop.coupons(campaign, couponPattern="RACE-BUDGET", discountLimit=60)
    [once] = shop.coupons(campaign, couponPattern="RACE-ONCE", usageLimit=0,
                          limits=[{"action": "redeemCoupon", "limit": 1, "entities": ["Profile"]}])

    def close(args):
        number, code, profile = args
        return requests.put(f"{base_url}/v2/customer_sessions/race-{code}-{number}",
                            headers={"Authorization": f"ApiKey-v1 {shop.key}"},
                            json={"customerSession": {"profileId": profile, "cartItems": TUTORIAL_CART,
                                                      "couponCodes": [code], "state": "closed"}})

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        budget_results = [r.json()["effects"] for r in pool.map(close, [(n, budget.value, f"b-{n}") for n in range(20)])]
        # One profile: the 409 rule turns some away (one runs, two wait); the rest must not pass the limit.
        once_responses = list(pool.map(close, [(n, once.value, "same-profile") for n in range(20)]))
    given = sum(sum(discounts(effects)) for effects in budget_results)
    assert abs(given - 60) < 1e-9  # 24.6 + 24.6 + 10.8: the coupon's 60, never more
    assert shop.coupon(campaign, budget.value).discount_counter == 60
    assert {r.status_code for r in once_responses} <= {200, 409}
    answered = [r.json()["effects"] for r in once_responses if r.status_code == 200]
    accepted = [effects for effects in answered if any(e["effectType"] == "acceptCoupon" for e in effects)]
    assert len(accepted) == 1
    assert all(reasons(effects) == ["ProfileLimitReached"] for effects in answered if effects not in accepted)
