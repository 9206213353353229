r"""Collections over HTTP (and SDK 26.2 where it can): account and campaign collections, CSV import (replaces the
items) and export, item listing, and a rule that keeps the items of a 100,000-SKU collection out of a discount.

SDK 26.2's collection models cannot be used: their name pattern `^[^[:cntrl:]\s][^[:cntrl:]]*$` is POSIX, which
Python's `re` reads differently, so they refuse every name. Those calls go over HTTP, still checked against the spec."""
import time

import pytest
import requests

from test_promotions import Shop

NOT_ON_SALE = ["not", ["isInCollection", "not_on_sale", [".", "Item", "SKU"]]]
REGULAR_ITEMS = ["filter", [".", "Session", "CartItems"], [["Item"], NOT_ON_SALE]]
TEN_PERCENT_OFF_REGULAR_ITEMS = {
    "title": "10% off what is not on sale",
    "condition": ["exists", [".", "Session", "CartItems"], [["Item"], NOT_ON_SALE]],
    "effects": [["setDiscount", "10% off regular items",
                 ["*", ["sum", REGULAR_ITEMS, [["Item"], ["*", [".", "Item", "Price"], [".", "Item", "Quantity"]]]], 0.1]]],
}


@pytest.fixture
def shop(admin, base_url, mgmt_api):
    shop = Shop(admin, base_url)
    shop.admin_api = mgmt_api
    return shop


def call(shop, method, path, status=200, **body):
    response = shop.admin.http.request(method, shop.admin.url(path), json=body or None)
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def upload(shop, path, items):
    csv = "item\n" + "".join(f"{item}\n" for item in items)
    return shop.admin.http.post(shop.admin.url(path), files={"upFile": ("items.csv", csv, "text/csv")})


def cart(*skus):
    return [{"name": sku, "sku": sku, "quantity": 1, "price": 50, "category": "Shoes"} for sku in skus]


def discounts(effects):
    return [e["props"]["value"] for e in effects if e["effectType"] == "setDiscount"]


def test_a_collection_of_100000_skus_keeps_its_items_out_of_a_discount(shop):
    app_id = shop.application["id"]
    collection = call(shop, "POST", "/v1/collections", 201, name="not_on_sale", description="reduced already",
                      subscribedApplicationsIds=[app_id])
    skus = [f"S{index:06d}" for index in range(100_000)]
    imported = upload(shop, f"/v1/collections/{collection['id']}/import", skus)
    assert imported.status_code == 200, imported.text
    assert imported.json()["amount"] == 100_000
    shop.campaign([TEN_PERCENT_OFF_REGULAR_ITEMS], features=())

    # Two items on sale, one regular: only the regular one's 50 counts.
    effects = shop.session("mixed", cartItems=cart("S000042", "S099999", "REGULAR-1"))
    assert discounts(effects) == [5]
    assert discounts(shop.session("all-on-sale", cartItems=cart("S000001", "S050000"))) == []
    # The lookup is a set: a thousand lookups against the 100,000 items stay quick (bound generous for slow CI).
    started = time.monotonic()
    for index in range(20):
        assert discounts(shop.session(f"quick-{index}", cartItems=cart(*skus[index * 50:index * 50 + 50], "R"))) == [5]
    assert time.monotonic() - started < 120

    # A new import replaces the items: what was on sale is regular again, at once.
    assert upload(shop, f"/v1/collections/{collection['id']}/import", ["REGULAR-1"]).json()["amount"] == 1
    assert discounts(shop.session("replaced", cartItems=cart("S000042", "REGULAR-1"))) == [5]

    items = shop.admin_api.get_collection_items(collection["id"])
    assert [i.item for i in items.data] == ["REGULAR-1"] and items.has_more is False
    exported = shop.admin.http.get(shop.admin.url(f"/v1/collections/{collection['id']}/export"))
    assert exported.status_code == 200 and exported.text == "item\nREGULAR-1\n"


def test_campaign_collections_shadow_account_ones_and_are_managed_per_campaign(shop):
    app_id = shop.application["id"]
    campaign = shop.campaign([TEN_PERCENT_OFF_REGULAR_ITEMS], features=())
    base = f"{shop.prefix}/campaigns/{campaign.id}/collections"
    own = call(shop, "POST", base, 201, name="not_on_sale")
    assert own["campaignId"] == campaign.id and own["applicationId"] == app_id
    assert upload(shop, f"{base}/{own['id']}/import", ["SHOE-1"]).status_code == 200
    assert discounts(shop.session("own", cartItems=cart("SHOE-1", "SHOE-2"))) == [5]

    assert call(shop, "GET", f"{base}/{own['id']}")["payload"] == ["SHOE-1"]
    assert call(shop, "PUT", f"{base}/{own['id']}", description="shoes")["description"] == "shoes"
    assert [c["id"] for c in call(shop, "GET", base)["data"]] == [own["id"]]
    assert own["id"] in [c["id"] for c in call(shop, "GET", f"{shop.prefix}/collections")["data"]]
    exported = shop.admin.http.get(shop.admin.url(f"{base}/{own['id']}/export"))
    assert exported.text == "item\nSHOE-1\n"

    # A second collection of the same name in the same campaign is refused; deleting lets everything through.
    call(shop, "POST", base, 409, name="not_on_sale")
    shop.admin_api.delete_collection(app_id, campaign.id, own["id"])
    assert discounts(shop.session("deleted", cartItems=cart("SHOE-1", "SHOE-2"))) == [10]


def test_account_collections_crud_and_bad_input(shop):
    app_id = shop.application["id"]
    created = call(shop, "POST", "/v1/collections", 201, name="brands")
    assert created["subscribedApplicationsIds"] == []
    path = f"/v1/collections/{created['id']}"
    updated = call(shop, "PUT", path, description="brands we carry", subscribedApplicationsIds=[app_id])
    assert updated["subscribedApplicationsIds"] == [app_id] and updated["description"] == "brands we carry"
    listed = shop.admin.http.get(shop.admin.url("/v1/collections"), params={"name": "brands"}).json()["data"]
    assert created["id"] in [c["id"] for c in listed]
    assert call(shop, "GET", path)["name"] == "brands"
    shop.admin_api.delete_account_collection(created["id"])
    assert shop.admin.http.get(shop.admin.url(path)).status_code == 404

    for body, pointer in [({"name": ""}, "/name"), ({"name": " leading space"}, "/name"),
                          ({"name": "ok", "subscribedApplicationsIds": [999999]}, "/subscribedApplicationsIds/0")]:
        response = shop.admin.http.post(shop.admin.url("/v1/collections"), json=body)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["source"]["pointer"] == pointer
    target = call(shop, "POST", "/v1/collections", 201, name="imports")
    bad = shop.admin.http.post(shop.admin.url(f"/v1/collections/{target['id']}/import"),
                               files={"upFile": ("items.csv", "sku\nA\n", "text/csv")})
    assert bad.status_code == 400 and bad.json()["errors"][0]["source"]["pointer"] == "/upFile"
