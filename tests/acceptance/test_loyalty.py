"""Loyalty programs end to end through SDK 26.2's loyalty models: points earned on close, pending until their
start, spent as a discount, expiring on their date, rolled back by a cancel; the balance always the sum of the
ledger; concurrent spends never overdraw."""
import concurrent.futures
import time

import pytest
import requests
import talon_one
from talon_one.models import (LoyaltyBalancesWithTiers, LoyaltyProgram, GetLoyaltyProgramProfileTransactions200Response,
                              GetLoyaltyPrograms200Response)


class LoyaltyShop:
    """An application with a key, a loyalty program subscribed to it and a campaign whose rules earn and redeem."""

    def __init__(self, admin, base_url, **program):
        self.admin, self.base_url = admin, base_url
        self.application = admin.create_application("Loyalty")
        self.key = admin.create_api_key(self.application["id"])
        body = {"name": f"points-{time.monotonic_ns()}", "title": "Points", "description": "1 point per 10 EUR",
                "subscribedApplications": [self.application["id"]], "defaultValidity": "unlimited",
                "defaultPending": "immediate", "allowSubledger": False, "sandbox": False, "timezone": "UTC",
                "tiers": [{"name": "Silver", "minPoints": 5}, {"name": "Gold", "minPoints": 50}], **program}
        response = admin.http.post(admin.url("/v1/loyalty_programs"), json=body)
        assert response.status_code == 201, response.text
        self.program = LoyaltyProgram.from_dict(response.json())
        configuration = talon_one.Configuration(host=base_url, api_key={"api_key_v1": self.key},
                                                api_key_prefix={"api_key_v1": "ApiKey-v1"})
        self.integration = talon_one.IntegrationApi(talon_one.ApiClient(configuration))

    def campaign(self, rules):
        prefix = f"/v1/applications/{self.application['id']}"
        body = {"name": "loyalty", "state": "enabled", "tags": [], "features": ["loyalty"], "limits": []}
        response = self.admin.http.post(self.admin.url(prefix + "/campaigns"), json=body)
        assert response.status_code == 201, response.text
        ruleset = self.admin.http.post(self.admin.url(f"{prefix}/campaigns/{response.json()['id']}/rulesets"),
                                       json={"rules": rules, "bindings": [], "activate": True})
        assert ruleset.status_code == 201, ruleset.text

    def session(self, session_id, expect=200, **customer_session):
        response = requests.put(f"{self.base_url}/v2/customer_sessions/{session_id}",
                                json={"customerSession": customer_session},
                                headers={"Authorization": f"ApiKey-v1 {self.key}"}, timeout=60)
        assert response.status_code == expect, response.text
        return response.json().get("effects", [])

    def balance(self, profile):
        return self.integration.get_loyalty_balances(self.program.id, profile, include_tiers=True).balance

    def transactions(self, profile):
        return self.integration.get_loyalty_program_profile_transactions(self.program.id, profile).data

    def assert_balance_is_sum_of_ledger(self, profile):
        # Two requests: an expiry or activation may be recorded between them, so the ledger is compared with a
        # balance read on both sides of it that did not change.
        for _ in range(20):
            balance = self.balance(profile)
            signed = sum(t.amount if t.type == "addition" else -t.amount for t in self.transactions(profile))
            if self.balance(profile) == balance:
                break
        assert balance.active_points + balance.pending_points - balance.negative_points == pytest.approx(signed)
        return balance

    def wait_for(self, profile, predicate, timeout=60):
        """Polls the balance until `predicate` holds (activation and expiry happen on time, without a request)."""
        deadline = time.monotonic() + timeout
        while True:
            balance = self.assert_balance_is_sum_of_ledger(profile)
            if predicate(balance) or time.monotonic() > deadline:
                return balance
            time.sleep(0.2)


def cart(total):
    return [{"name": "Thing", "sku": "thing", "quantity": 1, "price": total}]


def of_type(effects, effect_type):
    return [e for e in effects if e["effectType"] == effect_type]


def earn_and_redeem_rules(program_id):
    return [
        {"title": "1 point per 10 EUR", "condition": [">=", [".", "Session", "Total"], 0],
         "effects": [["addLoyaltyPoints", program_id,
                      ["loyaltyPointsFor", [".", "Session", "Total"], 10, 1, "down"]]]},
        {"title": "5 points buy 2.50 EUR", "condition": [">=", ["loyaltyPoints", program_id], 5],
         "effects": [["redeemLoyaltyPoints", program_id, 5, 2.5]]},
    ]


def test_programs_are_created_listed_updated_and_deleted(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    listed = GetLoyaltyPrograms200Response.from_dict(
        admin.http.get(admin.url("/v1/loyalty_programs")).json())
    assert shop.program.id in [p.id for p in listed.data]
    assert [t.name for t in shop.program.tiers] == ["Silver", "Gold"]
    updated = admin.http.put(admin.url(f"/v1/loyalty_programs/{shop.program.id}"),
                             json={"title": "Stars", "defaultValidity": "30D"})
    assert updated.status_code == 200, updated.text
    program = LoyaltyProgram.from_dict(updated.json())
    assert (program.title, program.default_validity, program.name) == ("Stars", "30D", shop.program.name)
    bad = admin.http.put(admin.url(f"/v1/loyalty_programs/{shop.program.id}"), json={"defaultPending": "soon"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["source"]["pointer"] == "/defaultPending"
    assert admin.http.delete(admin.url(f"/v1/loyalty_programs/{shop.program.id}")).status_code == 204
    assert admin.http.get(admin.url(f"/v1/loyalty_programs/{shop.program.id}")).status_code == 404


def test_points_earn_on_close_wait_pending_spend_as_discount_expire_and_roll_back(admin, base_url):
    # Points start 2 s after the close and stay valid 20 s: the test watches both happen without a request.
    shop = LoyaltyShop(admin, base_url, defaultPending="2s", defaultValidity="20s")
    shop.campaign(earn_and_redeem_rules(shop.program.id))
    profile = "loyal-alice"

    # Open: the points are tentative, shown as an effect and written nowhere.
    effects = shop.session("earn", profileId=profile, cartItems=cart(95.5))
    [added] = of_type(effects, "addLoyaltyPoints")
    assert added["props"]["value"] == 9 and added["props"]["recipientIntegrationId"] == profile
    assert shop.transactions(profile) == []
    # Closed: recorded, pending until their start date.
    closed = time.monotonic()
    shop.session("earn", profileId=profile, cartItems=cart(95.5), state="closed")
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert balance.active_points + balance.pending_points == 9
    if time.monotonic() - closed < 1.5:  # well before the start date (a slow machine may be past it)
        assert (balance.active_points, balance.pending_points) == (0, 9)
    [earned] = shop.transactions(profile)
    assert (earned.type, earned.amount, earned.customer_session_id) == ("addition", 9, "earn")
    assert earned.start_date not in ("immediate", "on_action")

    balance = shop.wait_for(profile, lambda b: b.active_points == 9)
    assert (balance.active_points, balance.pending_points) == (9, 0)
    assert balance.current_tier.name == "Silver" and balance.next_tier_name == "Gold"

    # A later session spends 5 points for 2.50 EUR (and earns 2 more, pending).
    closed = time.monotonic()
    effects = shop.session("spend", profileId=profile, cartItems=cart(20), state="closed")
    assert [e["props"]["value"] for e in of_type(effects, "setDiscount")] == [2.5]
    assert [e["props"]["value"] for e in of_type(effects, "deductLoyaltyPoints")] == [5]
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points + balance.pending_points, balance.spent_points) == (6, 5)
    if time.monotonic() - closed < 1.5:
        assert (balance.active_points, balance.pending_points) == (4, 2)

    # Cancelling it rolls back both: the spend is refunded, the pending points dropped.
    effects = shop.session("spend", state="cancelled")
    assert [e["props"]["value"] for e in of_type(effects, "rollbackDeductedLoyaltyPoints")] == [5]
    assert [e["props"]["value"] for e in of_type(effects, "rollbackAddedLoyaltyPoints")] == [2]
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert (balance.active_points, balance.pending_points, balance.spent_points) == (9, 0, 0)

    # Not enough points: the redeem rule does not apply.
    effects = shop.session("too-much", profileId="loyal-bob", cartItems=cart(20))
    assert of_type(effects, "setDiscount") == [] and of_type(effects, "deductLoyaltyPoints") == []

    # The first close's unspent points expire on their date; the refunded 5 do not expire.
    balance = shop.wait_for(profile, lambda b: b.expired_points > 0)
    assert (balance.active_points, balance.expired_points) == (5, 4)
    assert [(t.type, t.amount) for t in shop.transactions(profile) if t.name == "Expired"] == [("subtraction", 4)]
    points = {status: [(p.amount, p.customer_session_id) for p in
                       shop.integration.get_loyalty_program_profile_points(shop.program.id, profile, status=status).data]
              for status in ("active", "pending", "expired")}
    assert points == {"active": [(5, "spend")], "pending": [], "expired": [(4, "earn")]}


def test_management_adds_and_deducts_points(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    path = f"/v1/loyalty_programs/{shop.program.id}/profile/manual-carol"
    added = admin.http.put(admin.url(path + "/add_points"), json={"points": 12.5, "name": "Welcome"})
    assert added.status_code == 204, added.text
    too_many = admin.http.put(admin.url(path + "/deduct_points"), json={"points": 13})
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["source"]["pointer"] == "/points"
    assert admin.http.put(admin.url(path + "/deduct_points"), json={"points": 2.5}).status_code == 204
    balance = shop.assert_balance_is_sum_of_ledger("manual-carol")
    assert (balance.active_points, balance.spent_points) == (10, 2.5)
    listed = GetLoyaltyProgramProfileTransactions200Response.from_dict(
        admin.http.get(admin.url(path + "/ledger_transactions")).json())
    assert [(t.type, t.amount, t.name) for t in listed.data] == [("subtraction", 2.5, "Manual deduction"),
                                                                 ("addition", 12.5, "Welcome")]


def test_fifty_concurrent_sessions_never_overdraw(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    shop.campaign(earn_and_redeem_rules(shop.program.id)[1:])
    profile = "busy-dave"
    assert admin.http.put(admin.url(f"/v1/loyalty_programs/{shop.program.id}/profile/{profile}/add_points"),
                          json={"points": 100}).status_code == 204

    def close(index):
        response = requests.put(f"{base_url}/v2/customer_sessions/race-{index}",
                                json={"customerSession": {"profileId": profile, "cartItems": cart(20),
                                                          "state": "closed"}},
                                headers={"Authorization": f"ApiKey-v1 {shop.key}"}, timeout=120)
        assert response.status_code in (200, 409), response.text
        return len(of_type(response.json().get("effects", []), "deductLoyaltyPoints"))

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        spends = sum(pool.map(close, range(50)))
    balance = shop.assert_balance_is_sum_of_ledger(profile)
    assert 0 < spends <= 20
    assert balance.active_points == 100 - 5 * spends and balance.active_points >= 0
    assert balance.spent_points == 5 * spends and balance.negative_points == 0


def test_unknown_program_and_unsubscribed_application_are_404(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    other = LoyaltyShop(admin, base_url)
    with pytest.raises(talon_one.exceptions.NotFoundException):
        shop.integration.get_loyalty_balances(other.program.id, "anyone")
    with pytest.raises(talon_one.exceptions.NotFoundException):
        shop.integration.get_loyalty_balances(999999, "anyone")


def test_csv_import_of_points_is_all_or_nothing(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    url = admin.url(f"/v1/loyalty_programs/{shop.program.id}/import_points")
    bad = "customerprofileid,amount,expirydate,reason\nimport-erin,10,,Welcome\nimport-frank,ten,,Oops\n"
    refused = admin.http.post(url, files={"upFile": ("points.csv", bad, "text/csv")})
    assert refused.status_code == 400
    assert "line 3, amount" in refused.json()["errors"][0]["details"] + refused.json()["message"]
    assert shop.assert_balance_is_sum_of_ledger("import-erin").active_points == 0  # nothing half-imported
    good = "customerprofileid,amount,expirydate,reason\nimport-erin,10,,Welcome\nimport-frank,2.5,unlimited,Gift\n"
    imported = admin.http.post(url, files={"upFile": ("points.csv", good, "text/csv")})
    assert imported.status_code == 200, imported.text
    assert imported.json()["amount"] == 2
    assert shop.assert_balance_is_sum_of_ledger("import-erin").active_points == 10
    assert shop.assert_balance_is_sum_of_ledger("import-frank").active_points == 2.5
    [entry] = shop.transactions("import-frank")
    assert (entry.name, entry.expiry_date) == ("Gift", "unlimited")


def test_card_based_program_with_a_generated_card_linked_to_two_profiles(admin, base_url):
    from talon_one.models import LoyaltyCard, LoyaltyCardBalances, GetLoyaltyCardTransactions200Response
    shop = LoyaltyShop(admin, base_url, cardBased=True, usersPerCardLimit=2)
    earn, redeem = earn_and_redeem_rules(shop.program.id)
    redeem["condition"] = ["and", redeem["condition"], ["<", [".", "Session", "Total"], 10]]  # small carts only
    shop.campaign([earn, redeem])
    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    cards = f"{base_url}/v1/loyalty_programs/{shop.program.id}/cards"
    generated = requests.post(cards, json={"customerProfileIds": ["card-gina"]}, headers=headers, timeout=60)
    assert generated.status_code == 200, generated.text
    card = LoyaltyCard.from_dict(generated.json())
    assert card.status == "active" and [p.integration_id for p in card.profiles] == ["card-gina"]
    link = f"{base_url}/v2/loyalty_programs/{shop.program.id}/cards/{card.identifier}"
    linked = requests.post(link + "/link_profile", json={"integrationId": "card-hal"}, headers=headers, timeout=60)
    assert linked.status_code == 200, linked.text
    assert [p.integration_id for p in LoyaltyCard.from_dict(linked.json()).profiles] == ["card-gina", "card-hal"]
    full = requests.post(link + "/link_profile", json={"integrationId": "card-ida"}, headers=headers, timeout=60)
    assert full.status_code == 400 and full.json()["errors"][0]["source"]["pointer"] == "/integrationId"

    # Both profiles earn on the one card, and spend from it.
    shop.session("card-1", profileId="card-gina", loyaltyCards=[card.identifier], cartItems=cart(60), state="closed")
    shop.session("card-2", profileId="card-hal", loyaltyCards=[card.identifier], cartItems=cart(40), state="closed")
    balances = LoyaltyCardBalances.from_dict(requests.get(link.replace("/v2/", "/v1/") + "/balances", headers=headers,
                                                          timeout=60).json())
    assert balances.balance.active_points == 10
    assert sorted(p.integration_id for p in balances.profiles) == ["card-gina", "card-hal"]
    effects = shop.session("card-3", profileId="card-hal", loyaltyCards=[card.identifier], cartItems=cart(5),
                           state="closed")
    [deducted] = of_type(effects, "deductLoyaltyPoints")
    assert (deducted["props"]["value"], deducted["props"]["cardIdentifier"]) == (5, card.identifier)
    transactions = GetLoyaltyCardTransactions200Response.from_dict(
        requests.get(link.replace("/v2/", "/v1/") + "/transactions", headers=headers, timeout=60).json())
    assert [(t.type, t.amount, t.customer_session_id) for t in transactions.data] == [
        ("subtraction", 5, "card-3"), ("addition", 4, "card-2"), ("addition", 6, "card-1")]
    assert {t.card_identifier for t in transactions.data} == {card.identifier}
    # By hand, on the Management API: deducted within the card's balance, added.
    by_hand = admin.url(f"/v1/loyalty_programs/{shop.program.id}/cards/{card.identifier}")
    assert admin.http.put(by_hand + "/deduct_points", json={"points": 5.01}).status_code == 400
    assert admin.http.put(by_hand + "/deduct_points", json={"points": 5}).status_code == 204
    assert admin.http.put(by_hand + "/add_points", json={"points": 2, "name": "Sorry"}).status_code == 204
    balances = LoyaltyCardBalances.from_dict(requests.get(link.replace("/v2/", "/v1/") + "/balances", headers=headers,
                                                          timeout=60).json())
    assert (balances.balance.active_points, balances.balance.spent_points) == (2, 10)
    points = shop.integration.get_loyalty_card_points(shop.program.id, card.identifier, status="active")
    assert [(p.amount, p.name) for p in points.data] == [(2, "Sorry")]
    # A session without the card earns nothing in a card-based program.
    assert of_type(shop.session("no-card", profileId="card-gina", cartItems=cart(60)), "addLoyaltyPoints") == []
    unlinked = requests.post(link + "/unlink_profile", json={"integrationId": "card-gina"}, headers=headers, timeout=60)
    assert [p.integration_id for p in LoyaltyCard.from_dict(unlinked.json()).profiles] == ["card-hal"]


def test_points_pending_on_action_wait_for_activation(admin, base_url):
    shop = LoyaltyShop(admin, base_url, defaultPending="on_action", defaultValidity="30D")
    shop.campaign(earn_and_redeem_rules(shop.program.id)[:1])
    effects = shop.session("on-action", profileId="patient-jo", cartItems=cart(30), state="closed")
    [added] = of_type(effects, "addLoyaltyPoints")
    assert added["props"]["awaitsActivation"] is True
    balance = shop.assert_balance_is_sum_of_ledger("patient-jo")
    assert (balance.active_points, balance.pending_points) == (0, 3)
    assert [t.start_date for t in shop.transactions("patient-jo")] == ["on_action"]
    pending = shop.integration.get_loyalty_program_profile_points(shop.program.id, "patient-jo", status="pending")
    assert [(p.amount, p.start_date) for p in pending.data] == [(3, "on_action")]
    from talon_one.models import ActivateLoyaltyPoints
    activated = shop.integration.activate_loyalty_points(shop.program.id,
                                                         ActivateLoyaltyPoints(session_id="on-action"))
    assert [(e.amount, e.customer_profile_id) for e in activated.ledger_entries] == [(3, "patient-jo")]
    assert activated.ledger_entries[0].expiry_date is not None
    balance = shop.assert_balance_is_sum_of_ledger("patient-jo")
    assert (balance.active_points, balance.pending_points) == (3, 0)
    again = shop.integration.activate_loyalty_points(shop.program.id, ActivateLoyaltyPoints(session_id="on-action"))
    assert again.ledger_entries == []


def test_the_customer_inventory_lists_the_profiles_loyalty_balances(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    path = f"/v1/loyalty_programs/{shop.program.id}/profile/inventory-dora"
    assert admin.http.put(admin.url(path + "/add_points"), json={"points": 7.5}).status_code == 204
    inventory = shop.integration.get_customer_inventory("inventory-dora", loyalty=True)
    program = inventory.loyalty.programs[str(shop.program.id)]
    assert (program.id, program.name, program.title) == (shop.program.id, shop.program.name, "Points")
    assert (program.ledger.current_balance, program.ledger.pending_balance) == (7.5, 0)
    assert program.ledger.tentative_current_balance == 7.5
    # Without the switch, or for a customer with no points, nothing is invented.
    assert shop.integration.get_customer_inventory("inventory-dora").loyalty is None
    empty = shop.integration.get_customer_inventory("nobody-here", loyalty=True).loyalty.programs
    assert empty[str(shop.program.id)].ledger.current_balance == 0
