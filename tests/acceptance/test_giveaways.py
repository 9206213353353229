"""Giveaways through SDK 26.2: a pool filled from CSV, codes handed out by `awardGiveaway` once per closing session
(never to two sessions, none once the pool is empty), announced without a code while the session is open, and
listed in the customer's inventory and the pool's export."""
import csv
import io
from concurrent.futures import ThreadPoolExecutor

import talon_one
from talon_one.models import IntegrationRequest, NewCustomerSessionV2

from conftest import integration_client
from test_audiences import shop  # noqa: F401  (an application with both SDK clients)
from test_promotions import TUTORIAL_CART


def new_pool(shop, codes, name="Gift cards"):
    response = shop.admin.http.post(shop.admin.url("/v1/giveaways/pools"), json={
        "name": name, "sandbox": False, "subscribedApplicationsIds": [shop.application["id"]]})
    assert response.status_code == 201, response.text
    pool = talon_one.GiveawaysPool.from_dict(response.json())
    text = "code,startdate,enddate,attributes\n" + "".join(f"{code},,,\n" for code in codes)
    imported = shop.admin.http.post(shop.admin.url(f"/v1/giveaways/pools/{pool.id}/import"),
                                    files={"upFile": ("codes.csv", text, "text/csv")})
    assert imported.status_code == 200, imported.text
    assert talon_one.ModelImport.from_dict(imported.json()).amount == len(codes)
    return pool


def close(api, session_id, profile_id, state="closed"):
    return api.update_customer_session_v2(session_id, IntegrationRequest(
        customer_session=NewCustomerSessionV2(profile_id=profile_id, cart_items=TUTORIAL_CART, state=state),
        response_content=["awardedGiveaways"]))


def awards(state, kind="awardGiveaway"):
    return [effect.props for effect in state.effects if effect.effect_type == kind]


def test_open_sessions_announce_and_closing_awards_one_code(shop):
    pool = new_pool(shop, ["GIFT-1", "GIFT-2"])
    shop.campaign([{"title": "gift", "condition": [">", [".", "Session", "Total"], 100],
                    "effects": [["awardGiveaway", pool.id]]}], features=("giveaways",))

    opened = close(shop.api, "s1", "alice", state="open")
    assert awards(opened) == []
    assert awards(opened, "willAwardGiveaway") == [
        {"poolId": pool.id, "poolName": "Gift cards", "recipientIntegrationId": "alice"}]
    assert opened.awarded_giveaways in (None, [])

    closed = close(shop.api, "s1", "alice")
    [award] = awards(closed)
    assert award["code"] == "GIFT-1" and award["poolId"] == pool.id and award["recipientIntegrationId"] == "alice"
    [given] = closed.awarded_giveaways
    assert (given.code, given.id, given.pool_id, given.used) == ("GIFT-1", award["giveawayId"], pool.id, True)
    # The stored session keeps the code it got.
    stored = shop.api.get_customer_session("s1")
    assert [e.props["code"] for e in stored.effects if e.effect_type == "awardGiveaway"] == ["GIFT-1"]

    # Cancelling does not take the code back (Talon.One has no rollback effect for giveaways).
    cancelled = close(shop.api, "s1", "alice", state="cancelled")
    assert awards(cancelled) == [] and awards(cancelled, "willAwardGiveaway") == []
    inventory = shop.api.get_customer_inventory("alice", giveaways=True)
    assert [(g.code, g.profile_integration_id) for g in inventory.giveaways] == [("GIFT-1", "alice")]
    assert shop.api.get_customer_inventory("bob", giveaways=True).giveaways in (None, [])

    exported = list(csv.DictReader(io.StringIO(shop.admin_api.export_pool_giveaways(pool.id))))
    assert [(row["code"], row["used"], row["profileintegrationid"]) for row in exported] == [
        ("GIFT-1", "true", "alice"), ("GIFT-2", "false", "")]


def test_hundred_concurrent_closes_hand_out_fifty_distinct_codes(shop, base_url):
    pool = new_pool(shop, [f"CODE-{n:03}" for n in range(50)])
    shop.campaign([{"title": "gift", "condition": ["and", True], "effects": [["awardGiveaway", pool.id]]}],
                  features=("giveaways",))

    def one(n):
        return close(integration_client(base_url, shop.key), f"race-{n}", f"customer-{n}")

    with ThreadPoolExecutor(max_workers=20) as workers:
        states = list(workers.map(one, range(100)))
    codes = [award["code"] for state in states for award in awards(state)]
    assert len(codes) == 50 and len(set(codes)) == 50
    assert sorted(codes) == [f"CODE-{n:03}" for n in range(50)]
    assert sum(1 for state in states if not awards(state)) == 50
    assert sorted(g.code for state in states for g in state.awarded_giveaways or []) == sorted(codes)
    exported = list(csv.DictReader(io.StringIO(shop.admin_api.export_pool_giveaways(pool.id))))
    assert all(row["used"] == "true" for row in exported) and len({row["profileintegrationid"] for row in exported}) == 50


def test_a_bad_import_adds_nothing_and_names_the_line(shop):
    pool = new_pool(shop, ["OK-1"])
    text = "code,startdate\nOK-2,2024-01-01T00:00:00Z\nOK-3,yesterday\n"
    response = shop.admin.http.post(shop.admin.url(f"/v1/giveaways/pools/{pool.id}/import"),
                                    files={"upFile": ("codes.csv", text, "text/csv")})
    assert response.status_code == 400
    assert "line 3" in response.json()["errors"][0]["title"] + response.json()["errors"][0].get("details", "")
    exported = list(csv.DictReader(io.StringIO(shop.admin_api.export_pool_giveaways(pool.id))))
    assert [row["code"] for row in exported] == ["OK-1"]
    missing = shop.admin.http.post(shop.admin.url("/v1/giveaways/pools"), json={"sandbox": False})
    assert missing.status_code == 400
