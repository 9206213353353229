"""Stored loyalty tiers and join dates through SDK 26.2's models: advanced tiers move up on close (with the
`changeLoyaltyTierLevel` effect) and are kept until their expiry, a rule moves a profile to a tier, tier and
join-date imports are all-or-nothing and exported as stored, and the dashboard's daily figures."""
import csv
import io
from datetime import datetime, timedelta, timezone

import talon_one
from talon_one.models import (ChangeLoyaltyTierLevelEffectProps, GetDashboardStatistics200Response,
                              LoyaltyBalancesWithTiers, LoyaltyLedger)

from test_loyalty import LoyaltyShop, cart, earn_and_redeem_rules, of_type

ADVANCED = {"tiersExpireIn": "30D", "tiersExpirationPolicy": "tier_start_date", "tiersDowngradePolicy": "one_down"}


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def csv_rows(response):
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def upload(admin, path, text):
    return admin.http.post(admin.url(path), files={"upFile": ("file.csv", text, "text/csv")})


def balances(admin, shop, profile):
    response = admin.http.get(admin.url(f"/v1/loyalty_programs/{shop.program.id}/profile/{profile}/ledger_balances"),
                              params={"includeTiers": "true"})
    assert response.status_code == 200, response.text
    return LoyaltyBalancesWithTiers.from_dict(response.json()).balance


def test_advanced_tiers_move_up_on_close_and_are_kept_until_they_expire(admin, base_url):
    shop = LoyaltyShop(admin, base_url, **ADVANCED)
    shop.campaign(earn_and_redeem_rules(shop.program.id)[:1])
    # Open: the upgrade is announced with the points, nothing is stored.
    effects = shop.session("t-1", profileId="tia", cartItems=cart(60))
    [change] = [ChangeLoyaltyTierLevelEffectProps.from_dict(e["props"])
                for e in of_type(effects, "changeLoyaltyTierLevel")]
    assert (change.program_id, change.previous_tier_name, change.new_tier_name) == (shop.program.id, None, "Silver")
    assert change.rule_title == "1 point per 10 EUR" and change.sub_ledger_id == ""
    assert timedelta(days=29) < change.expiry_date - datetime.now(timezone.utc) < timedelta(days=31)
    assert shop.balance("tia").current_tier is None
    # Closed: the tier is stored with its start and expiry (30 days after its start).
    shop.session("t-1", profileId="tia", cartItems=cart(60), state="closed")
    balance = shop.balance("tia")
    tier = balance.current_tier
    assert (balance.active_points, tier.name, tier.downgrade_policy) == (6, "Silver", "one_down")
    assert tier.expiry_date - tier.start_date == timedelta(days=30)
    assert (balance.next_tier_name, balance.points_to_next_tier) == ("Gold", 44)
    # Points taken away: an advanced tier stays until its expiry.
    base = f"/v1/loyalty_programs/{shop.program.id}"
    assert admin.http.put(admin.url(f"{base}/profile/tia/deduct_points"), json={"points": 6}).status_code == 204
    assert (balances(admin, shop, "tia").active_points, balances(admin, shop, "tia").current_tier.name) == (0, "Silver")
    ledger = LoyaltyLedger.from_dict(admin.http.get(admin.url(f"{base}/profile/tia")).json())
    assert ledger.ledger.current_tier.name == "Silver" and ledger.ledger.total_active_points == 0
    # Earning within the tier announces nothing; earning past Gold does.
    effects = shop.session("t-2", profileId="tia", cartItems=cart(30), state="closed")
    assert of_type(effects, "changeLoyaltyTierLevel") == []
    effects = shop.session("t-3", profileId="tia", cartItems=cart(500), state="closed")
    [gold] = of_type(effects, "changeLoyaltyTierLevel")
    assert (gold["props"]["previousTierName"], gold["props"]["newTierName"]) == ("Silver", "Gold")
    assert shop.balance("tia").current_tier.name == "Gold"


def test_a_rule_moves_the_profile_to_a_tier_when_the_session_closes(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    program = shop.program.id
    shop.campaign([{"title": "VIP welcome", "condition": ["=", ["loyaltyTier", program], ""],
                    "effects": [["changeLoyaltyTierLevel", program, "Gold"]]}])
    effects = shop.session("v-1", profileId="vic", cartItems=cart(10))
    [change] = [ChangeLoyaltyTierLevelEffectProps.from_dict(e["props"])
                for e in of_type(effects, "changeLoyaltyTierLevel")]
    assert (change.new_tier_name, change.previous_tier_name, change.rule_title) == ("Gold", None, "VIP welcome")
    assert change.expiry_date is None  # basic tiers do not expire
    assert shop.balance("vic").current_tier is None  # tentative while the session is open
    shop.session("v-1", profileId="vic", cartItems=cart(10), state="closed")
    balance = shop.balance("vic")
    assert (balance.active_points, balance.current_tier.name, balance.next_tier_name) == (0, "Gold", None)
    # Rules now read the stored tier: the welcome rule no longer applies.
    assert of_type(shop.session("v-2", profileId="vic", cartItems=cart(10)), "changeLoyaltyTierLevel") == []
    tiers = csv_rows(admin.http.get(admin.url(f"/v1/loyalty_programs/{program}/export_customers_tiers")))
    assert [(r["customerprofileid"], r["tiername"], r["expirydate"]) for r in tiers] == [("vic", "Gold", "")]
    # An unknown tier: the rule does not apply.
    other = LoyaltyShop(admin, base_url)
    other.campaign([{"title": "typo", "condition": ["=", 1, 1],
                     "effects": [["changeLoyaltyTierLevel", other.program.id, "Platinum"]]}])
    assert of_type(other.session("x-1", profileId="xen", cartItems=cart(10)), "changeLoyaltyTierLevel") == []


def test_tier_and_join_date_imports_are_all_or_nothing_and_exported_as_stored(admin, base_url):
    shop = LoyaltyShop(admin, base_url, **ADVANCED)
    for profile in ("ann", "bob"):  # profiles that exist, without points
        shop.session(f"{profile}-0", profileId=profile, cartItems=cart(1), state="closed")
    base = f"/v1/loyalty_programs/{shop.program.id}"
    expiry = (datetime.now(timezone.utc) + timedelta(days=90)).replace(microsecond=0)
    header = "subledgerid,customerprofileid,tiername,expirydate\n"
    good = f",ann,Gold,{expiry.isoformat()}\n,bob,Silver,{expiry.isoformat()}\n"

    def refused(text, line, column):
        response = upload(admin, f"{base}/import_customers_tiers", header + text)
        assert response.status_code == 400, response.text
        [error] = response.json()["errors"]
        assert error["source"]["pointer"] == "/upFile"
        assert f"line {line}, {column}" in error["title"], error

    refused(good + f",cid,Platinum,{expiry.isoformat()}\n", 4, "tiername")
    refused(good + ",cid,Gold,2020-01-01T00:00:00Z\n", 4, "expirydate")
    refused(good + f",nobody,Gold,{expiry.isoformat()}\n", 4, "customerprofileid")  # after two good rows
    assert csv_rows(admin.http.get(admin.url(f"{base}/export_customers_tiers"))) == []
    imported = upload(admin, f"{base}/import_customers_tiers", header + good)
    assert imported.status_code == 200, imported.text
    assert talon_one.ModelImport.from_dict(imported.json()).amount == 2
    tiers = csv_rows(admin.http.get(admin.url(f"{base}/export_customers_tiers")))
    assert [(r["programid"], r["subledgerid"], r["customerprofileid"], r["tiername"]) for r in tiers] == [
        (str(shop.program.id), "", "ann", "Gold"), (str(shop.program.id), "", "bob", "Silver")]
    assert all(parse_time(r["expirydate"]) == expiry for r in tiers)
    assert [r["customerprofileid"] for r in csv_rows(admin.http.get(
        admin.url(f"{base}/export_customers_tiers"), params={"tierNames": "Silver"}))] == ["bob"]
    # Imported into a tier above the points: kept (they would reach none).
    tier = balances(admin, shop, "ann").current_tier
    assert (tier.name, tier.expiry_date) == ("Gold", expiry)

    # Join dates: an unknown profile refuses the file; then the stored dates are replaced and exported.
    joined = datetime(2024, 3, 21, 7, 32, 14, tzinfo=timezone.utc)
    join_header = "customerprofileid,newjoindate\n"
    unknown = upload(admin, f"{base}/import_join_dates", join_header + f"ann,{joined.isoformat()}\nzed,{joined.isoformat()}\n")
    assert unknown.status_code == 400, unknown.text
    assert csv_rows(admin.http.get(admin.url(f"{base}/export_join_dates"))) == []
    bad_date = upload(admin, f"{base}/import_join_dates", join_header + "ann,yesterday\n")
    assert bad_date.status_code == 400
    ok = upload(admin, f"{base}/import_join_dates", join_header + f"ann,{joined.isoformat()}\nbob,2025-04-16T23:12:37+02:00\n")
    assert ok.status_code == 200, ok.text
    joins = csv_rows(admin.http.get(admin.url(f"{base}/export_join_dates")))
    assert [(r["profileIntegrationID"], parse_time(r["joinDate"])) for r in joins] == [
        ("ann", joined), ("bob", datetime(2025, 4, 16, 21, 12, 37, tzinfo=timezone.utc))]
    # Basic tiers cannot be imported into (Talon.One: advanced tiers only).
    basic = LoyaltyShop(admin, base_url)
    response = upload(admin, f"/v1/loyalty_programs/{basic.program.id}/import_customers_tiers", header + good)
    assert response.status_code == 400


def test_the_dashboard_adds_up_each_past_day(admin, base_url):
    shop = LoyaltyShop(admin, base_url)
    for profile in ("ann", "bob"):
        shop.session(f"{profile}-0", profileId=profile, cartItems=cart(1), state="closed")
    base = f"/v1/loyalty_programs/{shop.program.id}"
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    csv_text = (f"customerprofileid,newjoindate\nann,{(today - timedelta(days=2, hours=-5)).isoformat()}\n"
                f"bob,{(today - timedelta(days=1, hours=-1)).isoformat()}\n")
    assert upload(admin, f"{base}/import_join_dates", csv_text).status_code == 200
    # Points moved today are in today's figures, which the dashboard leaves out until the day is over.
    assert admin.http.put(admin.url(f"{base}/profile/ann/add_points"), json={"points": 12.25}).status_code == 204
    response = admin.http.get(admin.url(f"{base}/dashboard"), params={
        "rangeStart": (today - timedelta(days=3)).isoformat(), "rangeEnd": (today + timedelta(days=2)).isoformat()})
    assert response.status_code == 200, response.text
    dashboard = GetDashboardStatistics200Response.from_dict(response.json())
    if datetime.now(timezone.utc) >= today + timedelta(days=1):
        return  # Midnight passed during the test: the days moved.
    assert dashboard.total_result_size == 3
    assert [d.var_date for d in dashboard.data] == [today - timedelta(days=n) for n in (3, 2, 1)]
    assert [(d.total_members, d.new_members) for d in dashboard.data] == [(0, 0), (1, 1), (2, 1)]
    assert all(d.total_active_points == 0 and d.earned_points.created_manually == 0 for d in dashboard.data)
    missing = admin.http.get(admin.url(f"{base}/dashboard"), params={"rangeStart": today.isoformat()})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["source"]["parameter"] == "rangeEnd"
    backwards = admin.http.get(admin.url(f"{base}/dashboard"), params={
        "rangeStart": today.isoformat(), "rangeEnd": (today - timedelta(days=1)).isoformat()})
    assert backwards.status_code == 400
