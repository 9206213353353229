"""Campaign budgets on loyalty points and referrals through SDK 26.2: `createLoyaltyPoints` and `redeemLoyaltyPoints`
(sums of points) per campaign, per profile and per day, `redeemReferral` per campaign, per referral and under
concurrent closes; a cancel gives the budget back; the campaign and its analytics count referrals and points."""
import concurrent.futures
import datetime

import requests
from talon_one.models import CustomerProfileIntegrationRequestV2, NewReferral

from test_loyalty import LoyaltyShop, cart, of_type
from test_referrals import FRIEND_REWARD, rejection
from test_promotions import TUTORIAL_CART, Shop


def budgeted_campaign(shop, rules, limits, features=("loyalty",), name="budgeted"):
    shop.prefix = f"/v1/applications/{shop.application['id']}"
    return Shop.campaign(shop, rules, features=features, name=name, limits=limits)


def fetch(shop, campaign):
    return Shop.fetch_campaign(shop, campaign)


def analytics(mgmt_api, shop, campaign):
    now = datetime.datetime.now(datetime.timezone.utc)
    return mgmt_api.get_campaign_analytics(shop.application["id"], campaign.id, now - datetime.timedelta(days=2),
                                           now + datetime.timedelta(days=1), granularity="1 day").data


def session_answer(shop, session_id, **customer_session):
    response = requests.put(f"{shop.base_url}/v2/customer_sessions/{session_id}",
                            json={"customerSession": customer_session},
                            headers={"Authorization": f"ApiKey-v1 {shop.key}"}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["effects"]


def test_points_stop_at_the_campaigns_and_the_profiles_daily_budget(admin, base_url, mgmt_api):
    shop = LoyaltyShop(admin, base_url)
    earn = {"title": "10 points a visit", "condition": [">=", [".", "Session", "Total"], 0],
            "effects": [["addLoyaltyPoints", shop.program.id, 10], ["setDiscount", "thanks", 1]]}
    campaign = budgeted_campaign(shop, [earn], [
        {"action": "createLoyaltyPoints", "limit": 25, "entities": []},
        {"action": "createLoyaltyPoints", "limit": 10, "period": "daily", "entities": ["Profile"]},
    ])

    def points(effects):
        return [e["props"]["value"] for e in of_type(effects, "addLoyaltyPoints")]

    assert points(shop.session("alice-1", profileId="alice", cartItems=cart(20), state="closed")) == [10]
    # Alice's 10 points of the day are given: no more today, while the rule's discount still applies.
    second = shop.session("alice-2", profileId="alice", cartItems=cart(20), state="closed")
    assert points(second) == [] and [e["props"]["value"] for e in of_type(second, "setDiscount")] == [1]
    assert points(shop.session("bob-1", profileId="bob", cartItems=cart(20), state="closed")) == [10]
    # 5 points are left of the campaign's 25: 10 do not fit, none are given.
    assert points(shop.session("carol-1", profileId="carol", cartItems=cart(20), state="closed")) == []
    assert shop.balance("alice").active_points == 10 and shop.balance("carol").active_points == 0

    listed = fetch(shop, campaign)
    assert listed.created_loyalty_points_count == 20 and listed.created_loyalty_points_effect_count == 2
    assert [(b.action, b.limit, b.counter) for b in listed.budgets] == [("createLoyaltyPoints", 25, 20)]

    # A cancel gives Bob's points back to the budget: Carol's next visit earns them.
    shop.session("bob-1", state="cancelled")
    assert fetch(shop, campaign).created_loyalty_points_count == 10
    assert points(shop.session("carol-2", profileId="carol", cartItems=cart(20), state="closed")) == [10]
    assert shop.balance("carol").active_points == 10

    rows = analytics(mgmt_api, shop, campaign)
    assert sum(row.added_loyalty_points for row in rows) == 30  # every close's points, as coupons count redemptions
    assert rows[-1].total_added_loyalty_points == 30


def test_spending_points_stops_at_the_campaigns_budget(admin, base_url, mgmt_api):
    shop = LoyaltyShop(admin, base_url)
    redeem = {"title": "5 points buy 2.50 EUR", "condition": [">=", ["loyaltyPoints", shop.program.id], 5],
              "effects": [["redeemLoyaltyPoints", shop.program.id, 5, 2.5]]}
    campaign = budgeted_campaign(shop, [redeem], [{"action": "redeemLoyaltyPoints", "limit": 12, "entities": []}])
    added = admin.http.put(admin.url(f"/v1/loyalty_programs/{shop.program.id}/profile/dana/add_points"),
                           json={"points": 100})
    assert added.status_code == 204, added.text

    spent = []
    for index in range(3):
        effects = shop.session(f"dana-{index}", profileId="dana", cartItems=cart(40), state="closed")
        spent.append([e["props"]["value"] for e in of_type(effects, "deductLoyaltyPoints")])
        if not spent[-1]:  # The rule did not apply as a whole: no discount without its points.
            assert of_type(effects, "setDiscount") == []
    assert spent == [[5], [5], []]
    assert shop.balance("dana").active_points == 90
    listed = fetch(shop, campaign)
    assert listed.redeemed_loyalty_points_count == 10 and listed.redeemed_loyalty_points_effect_count == 2
    assert sum(row.deducted_loyalty_points for row in analytics(mgmt_api, shop, campaign)) == 10


class ReferralShop(LoyaltyShop):
    """A referral campaign with budgets, advocates and a code generator."""

    def __init__(self, admin, base_url, limits):
        super().__init__(admin, base_url)
        self.campaign_ = budgeted_campaign(self, [FRIEND_REWARD], limits, features=("referrals",), name="friends")
        for advocate in ("advocate-1", "advocate-2"):
            self.integration.update_customer_profile_v2(advocate, CustomerProfileIntegrationRequestV2(attributes={}))

    def code(self, advocate="advocate-1", **fields):
        return self.integration.create_referral(NewReferral(campaign_id=self.campaign_.id,
                                                            advocate_profile_integration_id=advocate, **fields)).code

    def visit(self, session_id, friend, code, **fields):
        return session_answer(self, session_id, profileId=friend, cartItems=TUTORIAL_CART, referralCode=code, **fields)


def test_referrals_stop_at_the_campaigns_budget_and_a_cancel_gives_one_back(admin, base_url, mgmt_api):
    shop = ReferralShop(admin, base_url, [{"action": "redeemReferral", "limit": 2, "entities": []}])
    first, second = shop.code("advocate-1"), shop.code("advocate-2")
    assert of_type(shop.visit("f1", "friend-1", first, state="closed"), "acceptReferral")
    assert of_type(shop.visit("f2", "friend-2", second, state="closed"), "acceptReferral")
    late = shop.visit("f3", "friend-3", first)
    assert rejection(late) == ["CampaignLimitReached"] and of_type(late, "setDiscount") == []

    listed = fetch(shop, shop.campaign_)
    assert listed.referral_redemption_count == 2
    assert [(b.action, b.limit, b.counter) for b in listed.budgets] == [("redeemReferral", 2, 2)]
    assert sum(row.referral_redemptions for row in analytics(mgmt_api, shop, shop.campaign_)) == 2

    session_answer(shop, "f1", state="cancelled")
    assert fetch(shop, shop.campaign_).referral_redemption_count == 1
    again = shop.visit("f3", "friend-3", first, state="closed")
    assert rejection(again) == [] and of_type(again, "acceptReferral")


def test_a_codes_budget_per_referral_and_the_profiles_budget(admin, base_url):
    shop = ReferralShop(admin, base_url, [{"action": "redeemReferral", "limit": 1, "entities": ["Referral"]}])
    code = shop.code()  # unlimited by itself: the campaign's budget per referral limits it to one friend
    assert of_type(shop.visit("f1", "friend-1", code, state="closed"), "acceptReferral")
    assert rejection(shop.visit("f2", "friend-2", code)) == ["ReferralLimitReached"]
    assert of_type(shop.visit("f3", "friend-3", shop.code()), "acceptReferral")

    profiles = ReferralShop(admin, base_url, [{"action": "redeemReferral", "limit": 0, "entities": ["Profile"],
                                               "period": "weekly"}])
    assert rejection(profiles.visit("p1", "friend-1", profiles.code())) == ["ProfileLimitReached"]


def test_concurrent_closes_redeem_exactly_the_campaigns_referral_budget(admin, base_url):
    shop = ReferralShop(admin, base_url, [{"action": "redeemReferral", "limit": 3, "entities": []}])
    code = shop.code()

    def close(index):
        return shop.visit(f"race-{index}", f"racer-{index}", code, state="closed")

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(close, range(12)))
    accepted = [a for a in answers if of_type(a, "acceptReferral")]
    assert len(accepted) == 3
    assert sorted(r for a in answers for r in rejection(a)) == ["CampaignLimitReached"] * 9
    assert fetch(shop, shop.campaign_).referral_redemption_count == 3
