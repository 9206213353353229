"""Oversized and deeply nested bodies, control characters in ids, and the headers every answer carries."""
import time

import pytest
import requests

BIG = b'{"customerSession": {"attributes": {"x": "' + b"a" * (2 * 1024 * 1024) + b'"}}}'


def send(base_url, method, path, key=None, token=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if key:
        headers["Authorization"] = f"ApiKey-v1 {key}"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, base_url + path, headers=headers, **kwargs)


@pytest.mark.parametrize("method,path,auth", [
    ("PUT", "/v2/customer_sessions/big", "key"),
    ("POST", "/v2/events", "key"),
    ("PUT", "/v2/customer_profiles/big", "key"),
    ("POST", "/v1/applications", "token"),
    ("POST", "/v1/sessions", None),
    ("GET", "/healthz", None),
])
def test_bodies_over_the_limit_answer_413(base_url, admin, integration_key, method, path, auth):
    credentials = {"key": {"key": integration_key}, "token": {"token": admin.token}, None: {}}[auth]
    response = send(base_url, method, path, data=BIG, headers={"Content-Type": "application/json"}, **credentials)
    assert response.status_code == 413, response.text[:200]
    assert response.json()["StatusCode"] == 413


def test_a_500_deep_body_is_refused_quickly(base_url, integration_key):
    deep = '{"customerSession": {"attributes": {"x": ' + "[" * 500 + "1" + "]" * 500 + "}}}"
    send(base_url, "PUT", "/v2/customer_sessions/warm", key=integration_key, json={"customerSession": {}})
    started = time.perf_counter()
    response = send(base_url, "PUT", "/v2/customer_sessions/deep", key=integration_key, data=deep,
                    headers={"Content-Type": "application/json"})
    elapsed = time.perf_counter() - started
    print(f"\n500-deep body answered {response.status_code} in {elapsed * 1000:.1f} ms over HTTP")
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["pointer"].startswith("/customerSession/attributes/x")
    assert elapsed < 0.25


@pytest.mark.parametrize("session_id", ["a%0Db", "a%0Ab", "a%00b"])
def test_control_characters_in_path_ids_are_refused(base_url, integration_key, session_id):
    response = send(base_url, "PUT", f"/v2/customer_sessions/{session_id}", key=integration_key,
                    json={"customerSession": {}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["parameter"] == "customerSessionId"
    assert send(base_url, "GET", f"/v2/customer_sessions/{session_id}", key=integration_key).status_code == 400


def test_control_characters_in_body_ids_are_refused(base_url, integration_key):
    response = send(base_url, "PUT", "/v2/customer_sessions/ok-id", key=integration_key,
                    json={"customerSession": {"profileId": "evil\r\nSet-Cookie: x"}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["pointer"] == "/customerSession/profileId"
    event = send(base_url, "POST", "/v2/events", key=integration_key,
                 json={"profileId": "a\u0000b", "type": "viewed", "attributes": {}})
    assert event.status_code == 400 and event.json()["errors"][0]["source"]["pointer"] == "/profileId"
    bulk = send(base_url, "PUT", "/v2/customer_profiles", key=integration_key,
                json={"customerProfiles": [{"profileId": "ok"}, {"profileId": "x\ny"}]})
    assert bulk.status_code == 400 and bulk.json()["errors"][0]["source"]["pointer"] == "/customerProfiles/1/profileId"
    assert send(base_url, "PUT", "/v2/customer_profiles/a%0Ab", key=integration_key,
                json={"attributes": {}}).status_code == 400


def test_every_answer_says_nosniff_and_no_store(base_url, admin, integration_key):
    answers = [
        requests.get(base_url + "/healthz"),
        requests.get(base_url + "/no/such/route"),
        requests.post(base_url + "/v1/sessions", json={"email": "nobody@x", "password": "x"}),
        admin.http.get(admin.url("/v1/applications")),
        send(base_url, "PUT", "/v2/customer_sessions/h1", key=integration_key, json={"customerSession": {}}),
    ]
    for answer in answers:
        assert answer.headers["X-Content-Type-Options"] == "nosniff", answer.url
        assert answer.headers["Cache-Control"] == "no-store", answer.url
    created = admin.http.post(admin.url("/v1/management_keys"), json={
        "name": "k", "expiryDate": "2099-01-01T00:00:00Z", "endpoints": []})
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
