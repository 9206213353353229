"""Cart item catalogs through SDK 26.2: a catalog created for an application (Sconto's `POST /v1/catalogs`), synced by
the shop (`syncCatalog`: all actions or none, faults named by pointer), listed (`listCatalogItems`), read by rules
for the items a session names by SKU alone, and the price history (`priceHistory`, `bestPriorPrice`)."""
import datetime
import uuid

import requests
import talon_one
from talon_one.rest import ApiException

from conftest import integration_client
from test_attributes import new_attribute
from test_promotions import Shop


def create_catalog(shop, name="shoes"):
    response = shop.admin.http.post(shop.admin.url("/v1/catalogs"), json={
        "name": name, "description": "all our shoes", "subscribedApplicationsIds": [shop.application["id"]]})
    assert response.status_code == 201, response.text
    return response.json()


def sync(shop, catalog_id, *actions):
    return requests.put(f"{shop.base_url}/v1/catalogs/{catalog_id}/sync", json={"actions": list(actions)},
                        headers={"Authorization": f"ApiKey-v1 {shop.key}"})


def discounts(effects):
    return [e["props"]["value"] for e in effects if e["effectType"] == "setDiscount"]


def pointers(response):
    assert response.status_code == 400, response.text
    return [error["source"]["pointer"] for error in response.json()["errors"]]


def test_rules_read_catalog_attributes_and_prices_of_items_sent_by_sku(admin, base_url, mgmt_api):
    color = f"Color{uuid.uuid4().hex[:6]}"
    attribute = mgmt_api.create_attribute(new_attribute("CartItem", color, "string"))
    shop = Shop(admin, base_url)
    catalog = create_catalog(shop)
    assert catalog["version"] == 1 and catalog["subscribedApplicationsIds"] == [shop.application["id"]]

    integration = integration_client(base_url, shop.key)
    synced = integration.sync_catalog(catalog["id"], talon_one.CatalogSyncRequest(actions=[
        {"type": "ADD", "payload": {"sku": "SHOE-1", "price": 80, "attributes": {color: "blue"},
                                    "product": {"name": "sneakers"}}},
        {"type": "ADD", "payload": {"sku": "SHOE-2", "price": 60, "attributes": {color: "red"}}},
    ]))
    assert synced.version == 2 and synced.id == catalog["id"]

    blue = ["=", [".", "Item", "Attributes", color], "blue"]
    blue_items = ["filter", [".", "Session", "CartItems"], [["Item"], blue]]
    shop.campaign([{
        "title": "10% off blue", "condition": ["exists", [".", "Session", "CartItems"], [["Item"], blue]],
        "effects": [["setDiscount", "blue",
                     ["*", ["sum", blue_items, [["Item"], ["*", [".", "Item", "Price"], [".", "Item", "Quantity"]]]], 0.1]]],
    }], features=())

    by_sku = [{"sku": "SHOE-1", "quantity": 1}, {"sku": "SHOE-2", "quantity": 1}]
    assert discounts(shop.session("by-sku", cartItems=by_sku)) == [8]
    # What the shop sends wins over the catalog: its price, its attributes.
    assert discounts(shop.session("sent-price", cartItems=[{"sku": "SHOE-1", "quantity": 1, "price": 50}])) == [5]
    assert discounts(shop.session("sent-color", cartItems=[
        {"sku": "SHOE-1", "quantity": 1, "attributes": {color: "red"}}])) == []

    # A patch is seen by the next session at once.
    patched = sync(shop, catalog["id"], {"type": "PATCH", "payload": {"sku": "SHOE-2", "attributes": {color: "blue"}}})
    assert patched.status_code == 200, patched.text
    assert patched.json()["version"] == 3
    assert discounts(shop.session("patched", cartItems=by_sku)) == [14]

    listed = mgmt_api.list_catalog_items(catalog["id"], sku=["SHOE-1"], with_total_result_size=True)
    assert listed.total_result_size == 1 and [item.sku for item in listed.data] == ["SHOE-1"]
    item = listed.data[0]
    assert item.price == 80 and item.catalogid == catalog["id"] and item.version == 2
    assert item.product.name == "sneakers"
    assert [(a.attributeid, a.name, a.value) for a in item.attributes] == [(attribute.id, color, "blue")]
    assert [i.sku for i in mgmt_api.list_catalog_items(catalog["id"], product_names=["sneakers"]).data] == ["SHOE-1"]
    page = mgmt_api.list_catalog_items(catalog["id"], page_size=1)
    assert page.has_more is True and len(page.data) == 1 and page.total_result_size is None

    # REMOVE_MANY with a filter: the blue items leave; SHOE-1 sent without a price now has none.
    removed = sync(shop, catalog["id"], {"type": "REMOVE_MANY", "payload": {
        "filters": [{"attr": color, "op": "IN", "value": "blue,green"}]}})
    assert removed.status_code == 200, removed.text
    assert mgmt_api.list_catalog_items(catalog["id"]).data == []
    assert discounts(shop.session("removed", cartItems=by_sku)) == []


def test_bad_syncs_name_the_action_and_change_nothing(admin, base_url):
    shop = Shop(admin, base_url)
    catalog = create_catalog(shop)
    add = {"type": "ADD", "payload": {"sku": "A", "price": 10}}
    assert sync(shop, catalog["id"], add).json()["version"] == 2

    assert pointers(sync(shop, catalog["id"], {"type": "REMOVE", "payload": {"sku": "A"}},
                         {"type": "ADD", "payload": {"sku": "B"}})) == ["/actions/1/type"]
    assert pointers(sync(shop, catalog["id"], {"type": "ADD", "payload": {"sku": "B"}},
                         {"type": "ADD", "payload": {"sku": "B"}})) == ["/actions/1/payload/sku"]
    assert pointers(sync(shop, catalog["id"], {"type": "MOVE", "payload": {"sku": "B"}})) == ["/actions/0/type"]
    assert pointers(sync(shop, catalog["id"], {"type": "PATCH", "payload": {"price": 3}})) == ["/actions/0/payload/sku"]
    assert pointers(sync(shop, catalog["id"], {"type": "ADD", "payload": {"sku": "B", "price": "x"}})) == [
        "/actions/0/payload/price"]
    assert pointers(sync(shop, catalog["id"], {"type": "ADD", "payload": {"sku": "B", "price": -1}})) == [
        "/actions/0/payload/price"]
    assert pointers(sync(shop, catalog["id"], {"type": "PATCH_MANY", "payload": {
        "filters": [{"attr": "size", "op": "LIKE", "value": 1}]}})) == ["/actions/0/payload/filters/0/op"]
    # The second action fails on the stored items (no Z to patch): the first one's new price is not kept either.
    failed = sync(shop, catalog["id"], {"type": "PATCH", "payload": {"sku": "A", "price": 1}},
                  {"type": "PATCH", "payload": {"sku": "Z", "price": 1}})
    assert pointers(failed) == ["/actions/1/payload/sku"]
    assert pointers(sync(shop, catalog["id"], add)) == ["/actions/0/payload/sku"]  # exists, no replaceIfExists
    replaced = sync(shop, catalog["id"], {"type": "ADD", "payload": {"sku": "A", "replaceIfExists": True}})
    assert replaced.status_code == 200 and replaced.json()["version"] == 3
    items = shop.admin.http.get(shop.admin.url(f"/v1/catalogs/{catalog['id']}/items")).json()["data"]
    assert [(i["sku"], i["price"]) for i in items] == [("A", 10)]  # replaced without a price: the price stays

    assert sync(shop, 999999, add).status_code == 404
    # The Integration API's operation: a Management session cannot sync.
    as_user = requests.put(f"{base_url}/v1/catalogs/{catalog['id']}/sync", json={"actions": [add]},
                           headers={"Authorization": f"Bearer {admin.token}"})
    assert as_user.status_code in (401, 403)


def test_price_history_and_best_prior_price(admin, base_url):
    shop = Shop(admin, base_url)
    catalog = create_catalog(shop)
    started = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)
    for action in ({"type": "ADD", "payload": {"sku": "TV", "price": 100}},
                   {"type": "PATCH", "payload": {"sku": "TV", "price": 90}},
                   {"type": "PATCH", "payload": {"sku": "TV", "attributes": {"size": 55}}},  # no new price
                   {"type": "PATCH", "payload": {"sku": "TV", "price": 60}}):
        assert sync(shop, catalog["id"], action).status_code == 200
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1)

    history = shop.admin.http.post(shop.admin.url(f"/v1/applications/{shop.application['id']}/price_history"), json={
        "sku": "TV", "startDate": started.isoformat(), "endDate": later.isoformat()})
    assert history.status_code == 200, history.text
    assert history.json()["sku"] == "TV"
    observed = history.json()["history"]
    assert [h["price"] for h in observed] == [100, 90, 60]
    assert [h["observedAt"] for h in observed] == sorted(h["observedAt"] for h in observed)
    before = shop.admin.http.post(shop.admin.url(f"/v1/applications/{shop.application['id']}/price_history"), json={
        "sku": "TV", "startDate": "2020-01-01T00:00:00Z", "endDate": "2020-02-01T00:00:00Z"})
    assert before.json()["history"] == []

    integration = integration_client(base_url, shop.key)
    # strict: the window ends at the end date, so today's 60 counts; SDK 26.2 sends `strictEndDate`.
    strict = integration.best_prior_price(talon_one.BestPriorPriceRequest(
        skus=["TV", "UNKNOWN"], timeframe_end_date=later, timeframe="30", strict_end_date=True))
    assert [(p.sku, p.price) for p in strict] == [("TV", 60)]
    # price: the window ends where the current price began, so the lowest before it is 90 (the spec's field).
    prior = requests.post(f"{base_url}/v1/best_prior_price", headers={"Authorization": f"ApiKey-v1 {shop.key}"}, json={
        "skus": ["TV"], "timeframeEndDate": later.isoformat(), "timeframe": "30", "timeframeEndDateType": "price"})
    assert prior.status_code == 200, prior.text
    assert [(p["sku"], p["price"]) for p in prior.json()] == [("TV", 90)]
    assert requests.post(f"{base_url}/v1/best_prior_price", headers={"Authorization": f"ApiKey-v1 {shop.key}"}, json={
        "skus": ["TV"], "timeframeEndDate": "2020-01-01T00:00:00Z", "timeframe": "30",
        "timeframeEndDateType": "strict"}).json() == []
    bad = requests.post(f"{base_url}/v1/best_prior_price", headers={"Authorization": f"ApiKey-v1 {shop.key}"}, json={
        "skus": [], "timeframeEndDate": later.isoformat(), "timeframe": "a month", "timeframeEndDateType": "soon"})
    assert sorted(pointers(bad)) == ["/skus", "/timeframe", "/timeframeEndDateType"]

    # Another application (not subscribed to the catalog) has no prices for the SKU.
    other = Shop(admin, base_url)
    assert integration_client(base_url, other.key).best_prior_price(talon_one.BestPriorPriceRequest(
        skus=["TV"], timeframe_end_date=later, timeframe="30", strict_end_date=True)) == []
