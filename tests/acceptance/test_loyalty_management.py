"""The Management API's loyalty operations through SDK 26.2's models: a profile's full ledger and balances, the
program's transactions and statistics, cards and their logs, and the CSV exports — every figure the exact sum
of the ledger."""
import csv
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import requests
from talon_one.models import (DeleteLoyaltyTransactionsRequest, GetLoyaltyCards200Response, GetLoyaltyCardTransactionLogs200Response,
                              GetLoyaltyProgramTransactions200Response, LoyaltyBalancesWithTiers, LoyaltyCard,
                              LoyaltyCardBatchResponse, LoyaltyDashboardData, LoyaltyLedger)

from test_loyalty import LoyaltyShop, cart, earn_and_redeem_rules


def rows(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def day_range():
    now = datetime.now(timezone.utc)
    return {"rangeStart": (now - timedelta(days=1)).isoformat(), "rangeEnd": (now + timedelta(days=1)).isoformat()}


def profile_shop(admin, base_url):
    """A program where `ann` earned 9 on a closed session, was given 12.25 by hand and 3 by an import,
    and `bob` was given 60 by hand (Gold tier)."""
    shop = LoyaltyShop(admin, base_url)
    shop.campaign(earn_and_redeem_rules(shop.program.id))
    shop.session("ann-1", profileId="ann", cartItems=cart(95.5), state="closed")
    base = f"/v1/loyalty_programs/{shop.program.id}"
    assert admin.http.put(admin.url(f"{base}/profile/ann/add_points"),
                          json={"points": 12.25, "name": "Welcome"}).status_code == 204
    assert admin.http.put(admin.url(f"{base}/profile/bob/add_points"), json={"points": 60}).status_code == 204
    imported = admin.http.post(admin.url(f"{base}/import_points"), files={
        "upFile": ("points.csv", "customerprofileid,amount,reason\nann,3,Imported\n", "text/csv")})
    assert imported.status_code == 200, imported.text
    return shop, base


def test_a_profiles_full_ledger_and_balances(admin, base_url):
    shop, base = profile_shop(admin, base_url)
    # The next session spends 5 of ann's 24.25 active points as a discount.
    shop.session("ann-2", profileId="ann", cartItems=cart(20), state="closed")
    ledger = LoyaltyLedger.from_dict(admin.http.get(admin.url(f"{base}/profile/ann")).json())
    main = ledger.ledger
    assert (main.total_active_points, main.total_spent_points, main.total_pending_points) == (24.25 + 2 - 5, 5, 0)
    assert main.total == main.total_active_points
    signed = sum(Decimal(str(t.amount)) * (1 if t.type == "addition" else -1) for t in main.transactions)
    assert signed == Decimal("21.25")  # 9 + 12.25 + 3 + 2 (earned by ann-2) - 5
    # The spend took the oldest lot first (none expires): 9 - 5 = 4 of it is left.
    assert sorted(Decimal(str(p.amount)) for p in main.active_points) == [Decimal("2"), Decimal("3"), Decimal("4"),
                                                                         Decimal("12.25")]
    assert main.current_tier.name == "Silver"
    balances = LoyaltyBalancesWithTiers.from_dict(
        admin.http.get(admin.url(f"{base}/profile/ann/ledger_balances"), params={"includeTiers": "true"}).json())
    assert (balances.balance.active_points, balances.balance.current_tier.name) == (21.25, "Silver")
    assert balances.balance.next_tier_name == "Gold" and balances.balance.points_to_next_tier == 50 - 21.25
    missing = admin.http.get(admin.url(f"{base}/profile/ann/ledger_balances"), params={"endDate": "yesterday"})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["source"]["parameter"] == "endDate"


def test_program_transactions_filter_by_source_session_and_date(admin, base_url):
    shop, base = profile_shop(admin, base_url)

    def listing(**params):
        response = admin.http.get(admin.url(f"{base}/transactions"), params=params)
        assert response.status_code == 200, response.text
        return GetLoyaltyProgramTransactions200Response.from_dict(response.json())

    everything = listing()
    assert [(t.customer_profile_id, t.amount, t.type) for t in everything.data] == [
        ("ann", 3, "addition"), ("bob", 60, "addition"), ("ann", 12.25, "addition"), ("ann", 9, "addition")]
    assert not everything.has_more
    [session] = listing(loyaltyTransactionType="session").data
    assert (session.customer_session_id, session.rule_name, session.campaign_id is not None) == (
        "ann-1", "1 point per 10 EUR", True)
    assert [t.amount for t in listing(loyaltyTransactionType="manual").data] == [60, 12.25]
    assert all(t.user_id for t in listing(loyaltyTransactionType="manual").data)
    assert [t.name for t in listing(loyaltyTransactionType="import").data] == ["Imported"]
    assert [t.amount for t in listing(customerSessionIDs="ann-1").data] == [9]
    assert [t.amount for t in listing(transactionUUIDs=session.transaction_uuid).data] == [9]
    page = listing(pageSize=2, skip=1)
    assert ([t.amount for t in page.data], page.has_more) == ([60, 12.25], True)
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    assert listing(startDate=tomorrow).data == []
    bad = admin.http.get(admin.url(f"{base}/transactions"), params={"loyaltyTransactionType": "gift"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["source"]["parameter"] == "loyaltyTransactionType"


def test_statistics_are_the_sums_of_the_ledger(admin, base_url):
    first_day = datetime.now(timezone.utc).date()
    shop, base = profile_shop(admin, base_url)
    assert admin.http.put(admin.url(f"{base}/profile/bob/deduct_points"), json={"points": 0.5}).status_code == 204
    shop.session("ann-2", profileId="ann", cartItems=cart(20), state="closed")  # earns 2, spends 5
    response = admin.http.get(admin.url(f"{base}/statistics"))
    assert response.status_code == 200, response.text
    statistics = LoyaltyDashboardData.from_dict(response.json())
    assert statistics.total_active_points == 9 + 12.25 + 3 + 2 - 5 + 60 - 0.5
    assert (statistics.total_spent_points, statistics.total_pending_points) == (5.5, 0)
    assert statistics.total_members == 2
    if datetime.now(timezone.utc).date() != first_day:
        return  # Midnight (the program's time zone is UTC) split the day's figures; the totals hold anyway.
    assert statistics.new_members == 2
    assert (statistics.earned_points.created_via_rule_engine, statistics.earned_points.created_manually) == (
        11, 12.25 + 60 + 3)
    assert (statistics.spent_points.created_via_rule_engine, statistics.spent_points.created_manually) == (5, 0.5)


def test_profile_exports_list_balances_tiers_join_dates_and_the_ledger(admin, base_url):
    shop, base = profile_shop(admin, base_url)
    balances = rows(admin.http.get(admin.url(f"{base}/export_customer_balances")))
    assert [(r["profileIntegrationID"], r["currentBalance"], r["spentBalance"], r["currentTier"]) for r in balances] == [
        ("ann", "24.25", "0", "Silver"), ("bob", "60", "0", "Gold")]
    assert all(r["loyaltyProgramID"] == str(shop.program.id) for r in balances)
    assert rows(admin.http.get(admin.url(f"{base}/export_customer_balance"))) == balances
    tiers = rows(admin.http.get(admin.url(f"{base}/export_customers_tiers"), params={"tierNames": "Gold"}))
    assert [(r["customerprofileid"], r["tiername"]) for r in tiers] == [("bob", "Gold")]
    joins = rows(admin.http.get(admin.url(f"{base}/export_join_dates")))
    assert [r["profileIntegrationID"] for r in joins] == ["ann", "bob"]
    assert all(abs(datetime.fromisoformat(r["joinDate"].replace("Z", "+00:00")) - datetime.now(timezone.utc))
               < timedelta(minutes=10) for r in joins)
    ledger = rows(admin.http.get(admin.url(f"{base}/profile/ann/export_log"), params=day_range()))
    assert [(r["type"], r["amount"], r["name"]) for r in ledger] == [
        ("addition", "9", "1 point per 10 EUR"), ("addition", "12.25", "Welcome"), ("addition", "3", "Imported")]
    assert ledger[0]["customersessionid"] == "ann-1" and ledger[0]["rulename"] == "1 point per 10 EUR"
    excel = rows(admin.http.get(admin.url(f"{base}/profile/ann/export_log"),
                                params={**day_range(), "dateFormat": "excel"}))
    assert len(excel[0]["created"]) == 19 and excel[0]["created"][10] == " "
    missing = admin.http.get(admin.url(f"{base}/profile/ann/export_log"))
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["source"]["parameter"] == "rangeStart"


def test_cards_are_read_with_their_logs_and_exported(admin, base_url):
    shop = LoyaltyShop(admin, base_url, cardBased=True, usersPerCardLimit=2)
    shop.campaign(earn_and_redeem_rules(shop.program.id))
    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    cards = f"{base_url}/v1/loyalty_programs/{shop.program.id}/cards"
    used = LoyaltyCard.from_dict(requests.post(cards, json={"customerProfileIds": ["cora"], "cardIdentifier": "CARD-A"},
                                               headers=headers, timeout=60).json())
    requests.post(cards, json={"cardIdentifier": "CARD-B"}, headers=headers, timeout=60).raise_for_status()
    shop.session("cora-1", profileId="cora", loyaltyCards=[used.identifier], cartItems=cart(60), state="closed")
    base = f"/v1/loyalty_programs/{shop.program.id}"
    card = LoyaltyCard.from_dict(admin.http.get(admin.url(f"{base}/cards/CARD-A")).json())
    assert (card.identifier, card.status, [p.integration_id for p in card.profiles]) == ("CARD-A", "active", ["cora"])
    assert admin.http.get(admin.url(f"{base}/cards/CARD-Z")).status_code == 404
    logs = GetLoyaltyCardTransactionLogs200Response.from_dict(
        admin.http.get(admin.url(f"{base}/cards/CARD-A/logs")).json())
    assert [(t.card_identifier, t.amount, t.customer_session_id) for t in logs.data] == [("CARD-A", 6, "cora-1")]
    balances = rows(admin.http.get(admin.url(f"{base}/export_card_balances")))
    assert [(r["cardIdentifier"], r["cardState"], r["currentBalance"]) for r in balances] == [
        ("CARD-A", "active", "6"), ("CARD-B", "active", "0")]
    ledger = rows(admin.http.get(admin.url(f"{base}/cards/CARD-A/export_log"), params=day_range()))
    assert [(r["cardidentifier"], r["amount"], r["customersessionid"]) for r in ledger] == [("CARD-A", "6", "cora-1")]
    # A card-based program has no profile ledgers, and the other way round.
    assert admin.http.get(admin.url(f"{base}/profile/cora")).status_code == 404
    assert admin.http.get(admin.url(f"{base}/export_customer_balances")).status_code == 404


def card_shop(admin, base_url):
    shop = LoyaltyShop(admin, base_url, cardBased=True, usersPerCardLimit=2)
    shop.campaign(earn_and_redeem_rules(shop.program.id))
    return shop, f"/v1/loyalty_programs/{shop.program.id}"


def test_cards_are_listed_blocked_transferred_and_deleted(admin, base_url):
    shop, base = card_shop(admin, base_url)
    imported = admin.http.post(admin.url(f"{base}/import_cards"), files={"upFile": (
        "cards.csv", "identifier,state,customerprofileids\nCARD-1,active,dora;ed\nCARD-2,inactive,\n", "text/csv")})
    assert imported.status_code == 200, imported.text
    assert imported.json()["amount"] == 2
    listed = GetLoyaltyCards200Response.from_dict(admin.http.get(admin.url(f"{base}/cards")).json())
    assert [(c.identifier, c.status) for c in listed.data] == [("CARD-1", "active"), ("CARD-2", "inactive")]
    assert [c.identifier for c in GetLoyaltyCards200Response.from_dict(
        admin.http.get(admin.url(f"{base}/cards"), params={"identifier": "CARD-2"}).json()).data] == ["CARD-2"]
    shop.session("dora-1", profileId="dora", loyaltyCards=["CARD-1"], cartItems=cart(100), state="closed")
    # A blocked card neither earns nor spends.
    blocked = admin.http.put(admin.url(f"{base}/cards/CARD-1"), json={"status": "inactive", "blockReason": "lost"})
    assert blocked.status_code == 200, blocked.text
    assert (LoyaltyCard.from_dict(blocked.json()).status, LoyaltyCard.from_dict(blocked.json()).block_reason) == (
        "inactive", "lost")
    effects = shop.session("dora-2", profileId="dora", loyaltyCards=["CARD-1"], cartItems=cart(100), state="closed")
    assert [e for e in effects if "Loyalty" in e["effectType"]] == []
    bad = admin.http.put(admin.url(f"{base}/cards/CARD-1"), json={"status": "lost"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["source"]["pointer"] == "/status"
    # A blocked card cannot be transferred; an active one moves its points, ledger and profiles to a new card.
    refused = admin.http.put(admin.url(f"{base}/cards/CARD-1/transfer"), json={"newCardIdentifier": "CARD-9"})
    assert refused.status_code == 400
    assert admin.http.put(admin.url(f"{base}/cards/CARD-1"), json={"status": "active"}).status_code == 200
    moved = admin.http.put(admin.url(f"{base}/cards/CARD-1/transfer"),
                           json={"newCardIdentifier": "CARD-9", "blockReason": "stolen"})
    assert moved.status_code == 204, moved.text
    old = LoyaltyCard.from_dict(admin.http.get(admin.url(f"{base}/cards/CARD-1")).json())
    new = LoyaltyCard.from_dict(admin.http.get(admin.url(f"{base}/cards/CARD-9")).json())
    assert (old.status, old.block_reason, old.new_card_identifier, old.profiles) == ("inactive", "stolen", "CARD-9", [])
    assert (new.status, new.old_card_identifier) == ("active", "CARD-1")
    assert sorted(p.integration_id for p in new.profiles) == ["dora", "ed"]
    assert shop.integration.get_loyalty_card_balances(shop.program.id, "CARD-9").balance.active_points == 10
    assert shop.integration.get_loyalty_card_balances(shop.program.id, "CARD-1").balance.active_points == 0
    logs = GetLoyaltyCardTransactionLogs200Response.from_dict(
        admin.http.get(admin.url(f"{base}/cards/CARD-9/logs")).json())
    assert [(t.amount, t.customer_session_id) for t in logs.data] == [(10, "dora-1")]
    taken = admin.http.put(admin.url(f"{base}/cards/CARD-2/transfer"), json={"newCardIdentifier": "CARD-9"})
    assert taken.status_code == 400  # CARD-2 is blocked
    assert admin.http.delete(admin.url(f"{base}/cards/CARD-9")).status_code == 204
    assert admin.http.get(admin.url(f"{base}/cards/CARD-9")).status_code == 404
    assert admin.http.delete(admin.url(f"{base}/cards/CARD-9")).status_code == 404


def test_card_batches_are_unique_and_imports_all_or_nothing(admin, base_url):
    shop, base = card_shop(admin, base_url)
    batch = admin.http.post(admin.url(f"{base}/cards/batch"), json={"numberOfCards": 150, "batchId": "spring"})
    assert batch.status_code == 200, batch.text
    made = LoyaltyCardBatchResponse.from_dict(batch.json())
    assert (made.number_of_cards_generated, made.batch_id) == (150, "spring")
    cards = GetLoyaltyCards200Response.from_dict(
        admin.http.get(admin.url(f"{base}/cards"), params={"batchId": "spring"}).json()).data
    assert len({c.identifier for c in cards}) == 150 and all(c.batch_id == "spring" for c in cards)
    exported = rows(admin.http.get(admin.url(f"{base}/cards/export"), params={"batchId": "spring"}))
    assert sorted(r["identifier"] for r in exported) == sorted(c.identifier for c in cards)
    assert {(r["status"], r["batchid"]) for r in exported} == {("active", "spring")}
    too_many = admin.http.post(admin.url(f"{base}/cards/batch"), json={"numberOfCards": 0})
    assert too_many.status_code == 400 and too_many.json()["errors"][0]["source"]["pointer"] == "/numberOfCards"
    # One bad row, or one card that exists, and nothing is imported.
    existing = cards[0].identifier
    for text, where in [("identifier,state\nNEW-1,active\nNEW-2,lost\n", "line 3, state"),
                        (f"identifier,state\nNEW-1,active\n{existing},active\n", "line 3, identifier"),
                        ("identifier,state,customerprofileids\nNEW-1,active,a;b;c\n", "customerprofileids")]:
        refused = admin.http.post(admin.url(f"{base}/import_cards"), files={"upFile": ("cards.csv", text, "text/csv")})
        assert refused.status_code == 400, refused.text
        assert where in refused.json()["errors"][0]["details"] + refused.json()["message"]
        assert admin.http.get(admin.url(f"{base}/cards/NEW-1")).status_code == 404


def test_a_profiles_transactions_are_deleted_from_the_ledgers_asked(admin, base_url):
    shop = LoyaltyShop(admin, base_url, allowSubledger=True)
    base = f"/v1/loyalty_programs/{shop.program.id}/profile/fay"
    for points, subledger in [(10, ""), (4, "drinks"), (6, "food")]:
        assert admin.http.put(admin.url(base + "/add_points"),
                              json={"points": points, "subledgerId": subledger}).status_code == 204
    shop.integration.delete_loyalty_transactions_from_ledgers(
        shop.program.id, "fay", DeleteLoyaltyTransactionsRequest(scope="SelectedSubledgers", subledger_ids=["drinks"]))
    balances = shop.integration.get_loyalty_balances(shop.program.id, "fay")
    assert balances.balance.active_points == 10
    assert {k: v.active_points for k, v in balances.subledger_balances.items()} == {"food": 6}
    assert sorted(t.amount for t in shop.transactions("fay")) == [6, 10]
    refused = requests.post(f"{base_url}{base}/delete_transactions", json={"scope": "SelectedSubledgers"},
                            headers={"Authorization": f"ApiKey-v1 {shop.key}"}, timeout=60)
    assert refused.status_code == 400 and refused.json()["errors"][0]["source"]["pointer"] == "/subledgerIds"
    shop.integration.delete_loyalty_transactions_from_ledgers(
        shop.program.id, "fay", DeleteLoyaltyTransactionsRequest(scope="AllSubledgers"))
    assert shop.transactions("fay") == []
    assert shop.integration.get_loyalty_balances(shop.program.id, "fay").balance.active_points == 0
