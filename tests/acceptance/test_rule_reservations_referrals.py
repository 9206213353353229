"""Rules that hand codes to the closing customer, through SDK 26.2: `reserveCoupon` reserves a coupon within its
`reservationLimit` (also when many customers close at once), and a code that needs a reservation then works for
its holders only; `createReferral` makes a referral code of the campaign with the customer as advocate, answered
in full in `createdReferrals`. Every answer is parsed by the SDK's models."""
import concurrent.futures
import re

import talon_one
from talon_one.models import (CartItem, CouponReservations, CustomerProfileIntegrationRequestV2, IntegrationRequest,
                              NewCustomerSessionV2, ReferralCreatedEffectProps, ReserveCouponEffectProps)

from conftest import integration_client
from test_promotions import Shop, TUTORIAL_CART, TWENTY_PERCENT

CLOSED = ["=", [".", "Session", "State"], "closed"]


def close(api, session_id, profile=None, **fields):
    """Opens and closes a session in one update; the SDK parses the answer (`IntegrationStateV2`)."""
    session = NewCustomerSessionV2(profile_id=profile, state="closed",
                                   cart_items=[CartItem(**item) for item in TUTORIAL_CART], **fields)
    return api.update_customer_session_v2(session_id, IntegrationRequest(customer_session=session))


def update(api, session_id, profile=None, **fields):
    session = NewCustomerSessionV2(profile_id=profile, cart_items=[CartItem(**item) for item in TUTORIAL_CART],
                                   **fields)
    return api.update_customer_session_v2(session_id, IntegrationRequest(customer_session=session))


def props(state, effect_type, model):
    return [model.from_dict(e.props) for e in state.effects if e.effect_type == effect_type]


def coupon_reasons(state):
    return [e.props["rejectionReason"] for e in state.effects if e.effect_type == "rejectCoupon"]


def discounts(state):
    return [e.props["value"] for e in state.effects if e.effect_type == "setDiscount"]


def reserving_shop(admin, base_url, reservation_limit):
    """A coupon campaign with a code that needs a reservation, and a campaign whose rule reserves it on close."""
    shop = Shop(admin, base_url)
    shop.api = integration_client(base_url, shop.key)
    campaign = shop.campaign([TWENTY_PERCENT])
    [coupon] = shop.coupons(campaign, couponPattern="VIP-####", isReservationMandatory=True,
                            reservationLimit=reservation_limit)
    shop.coupon_campaign, shop.code = campaign, coupon.value
    shop.campaign([{"title": "reserve the VIP code for who buys", "condition": CLOSED,
                    "effects": [["reserveCoupon", coupon.value]]},
                   {"title": "a code that does not exist reserves nothing", "condition": CLOSED,
                    "effects": [["reserveCoupon", "NO-SUCH-CODE"]]}],
                  features=(), name="reserver")
    return shop


def test_a_rule_reserves_a_coupon_for_the_closing_customer_within_its_limit(admin, base_url):
    shop = reserving_shop(admin, base_url, reservation_limit=2)
    api = shop.api

    # An open session reserves nothing yet; the close does, for the session's customer.
    opened = update(api, "alice-1", profile="alice")
    assert props(opened, "reserveCoupon", ReserveCouponEffectProps) == []
    closed = close(api, "alice-1", profile="alice")
    [reserved] = props(closed, "reserveCoupon", ReserveCouponEffectProps)
    assert (reserved.coupon_value, reserved.profile_integration_id, reserved.is_new_reservation) \
        == (shop.code, "alice", True)
    assert shop.coupon(shop.coupon_campaign, shop.code).reservation_counter == 1

    # The hard reservation: the holder redeems the code, another customer is refused.
    holder = update(api, "alice-2", profile="alice", coupon_codes=[shop.code])
    assert coupon_reasons(holder) == [] and discounts(holder) == [24.6]
    other = update(api, "bob-1", profile="bob", coupon_codes=[shop.code])
    assert coupon_reasons(other) == ["CouponReservationRequired"] and discounts(other) == []

    # A holder's next close keeps the reservation (not new, not counted again).
    again = close(api, "alice-3", profile="alice")
    assert [p.is_new_reservation for p in props(again, "reserveCoupon", ReserveCouponEffectProps)] == [False]
    assert shop.coupon(shop.coupon_campaign, shop.code).reservation_counter == 1

    # bob takes the second place; carol finds the coupon full: no reservation, no effect, no redemption.
    assert [p.is_new_reservation for p in props(close(api, "bob-2", profile="bob"), "reserveCoupon",
                                                ReserveCouponEffectProps)] == [True]
    assert props(close(api, "carol-1", profile="carol"), "reserveCoupon", ReserveCouponEffectProps) == []
    assert coupon_reasons(update(api, "carol-2", profile="carol", coupon_codes=[shop.code])) \
        == ["CouponReservationRequired"]
    assert shop.coupon(shop.coupon_campaign, shop.code).reservation_counter == 2
    holders = api.get_reserved_customers(shop.code)
    assert sorted(p.integration_id for p in holders.data) == ["alice", "bob"]
    assert [c.value for c in api.get_customer_inventory("alice", coupons=True).coupons] == [shop.code]
    assert api.get_customer_inventory("carol", coupons=True).coupons == []

    # An anonymous close has nobody to reserve for: the rule does not apply.
    assert props(close(api, "anonymous-1"), "reserveCoupon", ReserveCouponEffectProps) == []

    # createCouponReservation overrides the limit, as Talon.One documents ("only the effect enforces it").
    forced = api.create_coupon_reservation(shop.code, CouponReservations(integration_ids=["dave"]))
    assert forced.reservation_counter == 3 and forced.reservation_limit == 2
    assert coupon_reasons(update(api, "dave-1", profile="dave", coupon_codes=[shop.code])) == []


def test_concurrent_closes_reserve_exactly_the_limit(admin, base_url):
    shop = reserving_shop(admin, base_url, reservation_limit=3)

    def close_for(index):
        api = integration_client(base_url, shop.key)  # one client per thread
        state = close(api, f"race-{index}", profile=f"racer-{index}")
        return [p.is_new_reservation for p in props(state, "reserveCoupon", ReserveCouponEffectProps)]

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(close_for, range(12)))
    assert sorted(outcomes) == [[]] * 9 + [[True]] * 3
    assert shop.coupon(shop.coupon_campaign, shop.code).reservation_counter == 3
    assert len(shop.api.get_reserved_customers(shop.code).data) == 3


def test_a_rule_creates_referrals_for_the_closing_customer(admin, base_url, mgmt_api):
    shop = Shop(admin, base_url)
    api = integration_client(base_url, shop.key)
    campaign = shop.campaign(
        [{"title": "every buyer becomes an advocate", "condition": CLOSED,
          "effects": [["createReferral"], ["createReferral", "buddy"]]},
         {"title": "10 off for a referred friend", "condition": ["referralValid"],
          "effects": [["setDiscount", "Friend reward", 10]]}],
        features=("referrals",), name="friends",
        referralSettings={"couponPattern": "FRIEND-####", "validCharacters": ["X", "Y", "Z"]})

    opened = update(api, "alice-1", profile="alice")
    assert props(opened, "referralCreated", ReferralCreatedEffectProps) == [] and opened.created_referrals == []

    closed = close(api, "alice-1", profile="alice")
    announced = [p.value for p in props(closed, "referralCreated", ReferralCreatedEffectProps)]
    created = closed.created_referrals
    assert [r.code for r in created] == announced and len(created) == 2
    assert all(re.fullmatch(r"FRIEND-[XYZ]{4}", r.code) for r in created)
    assert all(r.id > 0 and r.campaign_id == campaign.id and r.advocate_profile_integration_id == "alice"
               and r.usage_counter == 0 and r.usage_limit == 0 for r in created)
    assert [r.friend_profile_integration_id for r in created] == [None, "buddy"]
    open_code, buddy_code = announced

    # Stored like any referral: listed by the Management API, and a friend's session accepts the code.
    listed = mgmt_api.get_referrals_without_total_count(shop.application["id"], campaign.id).data
    assert sorted(r.code for r in listed) == sorted(announced)
    inventory = api.get_customer_inventory("alice", referrals=True).referrals
    assert sorted(r.code for r in inventory) == sorted(announced)
    friend = update(api, "friend-1", profile="friend", referral_code=open_code)
    assert [e.props["value"] for e in friend.effects if e.effect_type == "acceptReferral"] == [open_code]
    assert discounts(friend) == [10]
    stranger = update(api, "stranger-1", profile="stranger", referral_code=buddy_code)
    assert [e.props["rejectionReason"] for e in stranger.effects if e.effect_type == "rejectReferral"] \
        == ["ReferralRecipientDoesNotMatch"]

    # Without a customer there is no advocate: the rule does not apply, nothing is made.
    anonymous = close(api, "anonymous-1")
    assert props(anonymous, "referralCreated", ReferralCreatedEffectProps) == [] and anonymous.created_referrals == []
    # A dry close answers what it would make and stores nothing.
    dry = api.update_customer_session_v2(
        "bob-dry", IntegrationRequest(customer_session=NewCustomerSessionV2(profile_id="bob", state="closed")), dry=True)
    assert len(dry.created_referrals) == 2
    assert len(mgmt_api.get_referrals_without_total_count(shop.application["id"], campaign.id).data) == 2


def test_create_referral_needs_a_referral_campaign(admin, base_url):
    shop = Shop(admin, base_url)
    api = integration_client(base_url, shop.key)
    api.update_customer_profile_v2("alice", CustomerProfileIntegrationRequestV2(attributes={}))
    shop.campaign([{"title": "no referrals feature", "condition": CLOSED,
                    "effects": [["createReferral"], ["setDiscount", "kept only with the referral", 5]]}],
                  features=(), name="plain")
    closed = close(api, "alice-1", profile="alice")
    # The rule's effects apply as a whole: the referral cannot be made, so the discount is dropped too.
    assert closed.created_referrals == [] and discounts(closed) == []
    assert props(closed, "referralCreated", ReferralCreatedEffectProps) == []


def test_rule_made_referrals_stop_at_the_campaigns_create_referral_budget(admin, base_url, mgmt_api):
    """A `createReferral` budget of 3: the first three closing customers become advocates, the later ones do not,
    and only three referrals are stored — the budget counted where the commit stores them."""
    shop = Shop(admin, base_url)
    api = integration_client(base_url, shop.key)
    campaign = shop.campaign(
        [{"title": "every buyer becomes an advocate", "condition": CLOSED, "effects": [["createReferral"]]}],
        features=("referrals",), name="advocates", limits=[{"action": "createReferral", "limit": 3}],
        referralSettings={"couponPattern": "ADV-#####", "validCharacters": list("ABCDEFGH")})
    made = []
    for n in range(5):
        closed = close(api, f"buyer-{n}", profile=f"buyer-{n}")
        announced = [p.value for p in props(closed, "referralCreated", ReferralCreatedEffectProps)]
        assert [r.code for r in closed.created_referrals] == announced
        made.append(len(announced))
    assert made == [1, 1, 1, 0, 0]
    listed = mgmt_api.get_referrals_without_total_count(shop.application["id"], campaign.id).data
    assert len(listed) == 3
    assert sorted(r.advocate_profile_integration_id for r in listed) == ["buyer-0", "buyer-1", "buyer-2"]


def test_code_settings_need_both_fields_of_the_spec(admin, base_url):
    """`CodeGeneratorSettings` requires `couponPattern` and `validCharacters`: a campaign without one is refused at
    the field, never saved and answered in a shape the SDK refuses."""
    shop = Shop(admin, base_url)
    for settings, pointer in (({"couponPattern": "ADV-#####"}, "/referralSettings/validCharacters"),
                              ({"validCharacters": ["A"]}, "/referralSettings/couponPattern")):
        response = admin.http.post(admin.url(shop.prefix + "/campaigns"),
                                   json={"name": "incomplete", "state": "enabled", "tags": [], "limits": [],
                                         "features": ["referrals"], "referralSettings": settings})
        assert response.status_code == 400
        assert pointer in response.text
