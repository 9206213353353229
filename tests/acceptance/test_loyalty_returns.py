"""Returns give back loyalty points in proportion to the value returned, and rules set and extend the expiry date of
points, through SDK 26.2's models: every answer and effect is parsed by them, the balance is always the sum of the
ledger."""
from datetime import datetime, timedelta, timezone

import pytest
from talon_one.models import (CartItem, ExtendLoyaltyPointsExpiryDateEffectProps, IntegrationRequest, NewCustomerSessionV2,
                              NewReturn, ReturnedCartItem, ReturnIntegrationRequest, RollbackAddedLoyaltyPointsEffectProps,
                              RollbackDeductedLoyaltyPointsEffectProps, SetLoyaltyPointsExpiryDateEffectProps)

from test_loyalty import LoyaltyShop


def session(shop, session_id, profile, total=None, items=None, state="open"):
    items = items or [CartItem(name="Thing", sku="thing", quantity=1, price=total)]
    request = IntegrationRequest(customer_session=NewCustomerSessionV2(profile_id=profile, cart_items=items, state=state))
    return shop.integration.update_customer_session_v2(session_id, request).effects


def give_back(shop, session_id, quantity):
    request = ReturnIntegrationRequest(var_return=NewReturn(
        returned_cart_items=[ReturnedCartItem(position=0, quantity=quantity)]))
    return shop.integration.return_cart_items(session_id, request).effects


def props(effects, effect_type, model):
    return [model.from_dict(effect.props) for effect in effects if effect.effect_type == effect_type]


def rolled_back(effects):
    """(points rolled back of what the close added, points refunded of what it spent), as the return answered."""
    added = props(effects, "rollbackAddedLoyaltyPoints", RollbackAddedLoyaltyPointsEffectProps)
    deducted = props(effects, "rollbackDeductedLoyaltyPoints", RollbackDeductedLoyaltyPointsEffectProps)
    return [p.value for p in added], [p.value for p in deducted]


def test_returns_roll_back_earned_and_refund_spent_points_in_proportion(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    program = shop.program.id
    shop.campaign([
        {"title": "10 points a purchase", "condition": [">=", [".", "Session", "Total"], 0],
         "effects": [["addLoyaltyPoints", program, 10]]},
        {"title": "6 points spent", "condition": [">=", ["loyaltyPoints", program], 6],
         "effects": [["deductLoyaltyPoints", program, 6]]},
    ])
    profile = "returning-rita"
    assert admin.http.put(admin.url(f"/v1/loyalty_programs/{program}/profile/{profile}/add_points"),
                          json={"points": 20}).status_code == 204
    seven = [CartItem(name="Thing", sku="thing", quantity=7, price=10)]
    session(shop, "ret", profile, items=seven, state="closed")
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.spent_points) == (24, 6)

    # 3 of the 7 equal items: 10 × 3/7 = 4.2857… → 4.29 earned points rolled back, 6 × 3/7 = 2.5714… → 2.57 refunded.
    assert rolled_back(give_back(shop, "ret", 3)) == ([4.29], [2.57])
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.spent_points) == (pytest.approx(22.28), pytest.approx(3.43))

    # 5 of 7 returned in all: 7.14 and 4.29 rolled back so far, this return gives the difference.
    assert rolled_back(give_back(shop, "ret", 2)) == ([2.85], [1.72])
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.spent_points) == (pytest.approx(21.15), pytest.approx(1.71))

    # The last items bring back exactly the rest: never more than the close moved in all.
    assert rolled_back(give_back(shop, "ret", 2)) == ([2.86], [1.71])
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.spent_points, balance.negative_points) == (20, 0, 0)
    rollbacks = [t for t in shop.transactions(profile) if t.customer_session_id == "ret" and t.amount != 10 and t.amount != 6]
    assert sorted(t.amount for t in rollbacks if t.type == "subtraction") == [2.85, 2.86, 4.29]
    assert sorted(t.amount for t in rollbacks if t.type == "addition") == [1.71, 1.72, 2.57]

    # Cancelling the returned session finds nothing more to give back.
    cancelled = shop.integration.update_customer_session_v2("ret", IntegrationRequest(
        customer_session=NewCustomerSessionV2(state="cancelled"))).effects
    assert rolled_back(cancelled) == ([], [])
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.spent_points) == (20, 0)


def test_a_partial_return_then_a_cancel_give_back_everything_once(admin, base_url):
    shop = LoyaltyShop(admin, base_url, defaultPending="on_action")
    program = shop.program.id
    shop.campaign([{"title": "1 point per 10 EUR", "condition": [">=", [".", "Session", "Total"], 0],
                    "effects": [["addLoyaltyPoints", program,
                                 ["loyaltyPointsFor", [".", "Session", "Total"], 10, 1, "exact"]]]}])
    profile = "pending-paul"
    session(shop, "pend", profile, items=[CartItem(name="Thing", sku="thing", quantity=4, price=25)], state="closed")
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.pending_points) == (0, 10)

    # Pending points leave the lot itself: 1 of 4 items, 2.5 points.
    assert rolled_back(give_back(shop, "pend", 1)) == ([2.5], [])
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.pending_points) == (0, 7.5)

    cancelled = shop.integration.update_customer_session_v2("pend", IntegrationRequest(
        customer_session=NewCustomerSessionV2(state="cancelled"))).effects
    assert rolled_back(cancelled) == ([7.5], [])
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.pending_points, balance.negative_points) == (0, 0, 0)


def expiry_dates(shop, profile, status):
    return sorted(datetime.fromisoformat(p.expiry_date) for p in
                  shop.integration.get_loyalty_program_profile_points(shop.program.id, profile, status=status).data)


def test_rules_set_and_extend_the_expiry_of_active_and_pending_points_on_close(admin, base_url):
    shop = LoyaltyShop(admin, base_url, defaultValidity="30D")
    program = shop.program.id
    new_date = "2031-01-31T00:00:00Z"
    shop.campaign([
        {"title": "10 points a purchase", "condition": [">=", [".", "Session", "Total"], 0],
         "effects": [["addLoyaltyPoints", program, 10]]},
        {"title": "Loyal until 2031", "condition": ["=", [".", "Session", "Total"], 100],
         "effects": [["setLoyaltyPointsExpiryDate", program, ["parseTime", new_date]]]},
        {"title": "A month more", "condition": ["=", [".", "Session", "Total"], 1000],
         "effects": [["extendLoyaltyPointsExpiryDate", program, "1M"]]},
    ])
    profile = "lasting-lena"
    session(shop, "first", profile, total=10, state="closed")
    [first] = expiry_dates(shop, profile, "active")
    assert first - datetime.now(timezone.utc) > timedelta(days=29)

    # Open: the effect is tentative, no lot changed yet.
    [tentative] = props(session(shop, "set", profile, total=100), "setLoyaltyPointsExpiryDate",
                        SetLoyaltyPointsExpiryDateEffectProps)
    assert (tentative.program_id, tentative.affected_transactions) == (program, [])
    assert expiry_dates(shop, profile, "active") == [first]

    # Closed: the earlier lot and the close's own get the date; the effect names both.
    [applied] = props(session(shop, "set", profile, total=100, state="closed"), "setLoyaltyPointsExpiryDate",
                      SetLoyaltyPointsExpiryDateEffectProps)
    assert applied.new_expiry_date == datetime.fromisoformat(new_date)
    assert len(applied.affected_transactions) == 2
    earliest = min(change.previous_expiry_date for change in applied.affected_transactions)
    assert abs(earliest - first) < timedelta(seconds=1)  # effects carry dates to the second
    assert {change.new_expiry_date for change in applied.affected_transactions} == {datetime.fromisoformat(new_date)}
    assert expiry_dates(shop, profile, "active") == [datetime.fromisoformat(new_date)] * 2

    # Extending moves every dated lot a month on (the close's own lot, due in 30 days, too).
    [extended] = props(session(shop, "extend", profile, total=1000, state="closed"), "extendLoyaltyPointsExpiryDate",
                       ExtendLoyaltyPointsExpiryDateEffectProps)
    assert extended.extension_duration == "1M" and len(extended.affected_transactions) == 3
    dates = expiry_dates(shop, profile, "active")
    assert dates[1:] == [datetime(2031, 2, 28, tzinfo=timezone.utc)] * 2
    assert dates[0] - datetime.now(timezone.utc) > timedelta(days=57)
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert balance.active_points == 30
