"""Staging keys never change production data: each Integration route runs dry or refuses them."""
import pytest
import requests


@pytest.fixture
def keys(admin, application, integration_key):
    staging = admin.create_api_key(application["id"], type="staging")
    return {"live": integration_key, "staging": staging}


def send(base_url, key, method, path, body=None):
    return requests.request(method, base_url + path, json=body, headers={"Authorization": f"ApiKey-v1 {key}"})


CART = [{"name": "Tee", "sku": "tee", "quantity": 2, "price": 20}]


def closed_session(base_url, keys, session_id):
    response = send(base_url, keys["live"], "PUT", f"/v2/customer_sessions/{session_id}",
                    {"customerSession": {"profileId": "p-stage", "cartItems": CART, "state": "closed"}})
    assert response.status_code == 200, response.text
    return send(base_url, keys["live"], "GET", f"/v2/customer_sessions/{session_id}").json()["customerSession"]


def test_session_updates_run_dry(base_url, keys):
    before = closed_session(base_url, keys, "st-1")
    cancel = send(base_url, keys["staging"], "PUT", "/v2/customer_sessions/st-1",
                  {"customerSession": {"state": "cancelled"}})
    assert cancel.status_code == 200, cancel.text
    assert send(base_url, keys["live"], "GET", "/v2/customer_sessions/st-1").json()["customerSession"] == before
    assert send(base_url, keys["staging"], "PUT", "/v2/customer_sessions/st-new",
                {"customerSession": {"cartItems": CART}}).status_code == 200
    assert send(base_url, keys["live"], "GET", "/v2/customer_sessions/st-new").status_code == 404


def test_reopen_and_returns_are_refused(base_url, keys):
    before = closed_session(base_url, keys, "st-2")
    reopen = send(base_url, keys["staging"], "PUT", "/v2/customer_sessions/st-2/reopen")
    assert reopen.status_code == 403 and reopen.json()["StatusCode"] == 403
    returned = send(base_url, keys["staging"], "POST", "/v2/customer_sessions/st-2/returns",
                    {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}})
    assert returned.status_code == 403
    assert send(base_url, keys["live"], "GET", "/v2/customer_sessions/st-2").json()["customerSession"] == before


def customers(admin, application):
    response = admin.http.get(admin.url(f"/v1/applications/{application['id']}/customers"), params={"pageSize": 1000})
    assert response.status_code == 200, response.text
    return {c["integrationId"]: c for c in response.json()["data"]}


def test_profiles_events_and_erasure(base_url, keys, admin, application):
    closed_session(base_url, keys, "st-3")
    before = customers(admin, application)
    assert "p-stage" in before
    assert send(base_url, keys["staging"], "PUT", "/v2/customer_profiles/p-new",
                {"attributes": {}}).status_code == 200
    assert send(base_url, keys["staging"], "PUT", "/v2/customer_profiles",
                {"customerProfiles": [{"profileId": "p-bulk", "attributes": {}}]}).status_code == 204
    assert send(base_url, keys["staging"], "POST", "/v2/events",
                {"profileId": "p-event", "type": "viewed", "attributes": {}}).status_code == 200
    erase = send(base_url, keys["staging"], "DELETE", "/v1/customer_data/p-stage")
    assert erase.status_code == 403
    assert customers(admin, application) == before
