"""Nothing leaks: the database file is private, erasing a customer scrubs the access log, /metrics is guarded."""
import os
import stat
import time

import pytest
import requests

from sconto_server import Server


def test_the_database_file_is_readable_by_its_owner_only(server):
    if server.database is None:
        pytest.skip("on PostgreSQL there is no database file (the server's own access control applies)")
    for suffix in ("", "-wal", "-shm"):
        path = server.database + suffix
        if os.path.exists(path):
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def access_logs(admin, application):
    response = admin.http.get(admin.url(f"/v1/applications/{application['id']}/access_logs/no_total"), params={
        "rangeStart": "2000-01-01T00:00:00Z", "rangeEnd": "2100-01-01T00:00:00Z", "pageSize": 1000})
    assert response.status_code == 200, response.text
    return response.text


def test_erasing_a_customer_scrubs_the_access_log(base_url, admin, application, integration_key):
    headers = {"Authorization": f"ApiKey-v1 {integration_key}"}
    secret = "Ada Lovelace, 12 Secret Street"
    assert requests.put(f"{base_url}/v2/customer_profiles/p-erase", headers=headers,
                        json={"attributes": {"Name": secret}}).status_code == 200
    assert requests.put(f"{base_url}/v2/customer_sessions/s-erase", headers=headers, json={
        "customerSession": {"profileId": "p-erase",
                            "cartItems": [{"name": secret, "sku": "gift", "quantity": 1, "price": 5}]}}).status_code == 200
    assert requests.put(f"{base_url}/v2/customer_profiles/p-keep", headers=headers,
                        json={"attributes": {"Name": "Kept Customer"}}).status_code == 200
    time.sleep(0.6)  # the recorder writes every 250 ms
    assert secret in access_logs(admin, application)
    assert requests.delete(f"{base_url}/v1/customer_data/p-erase", headers=headers).status_code == 204
    logs = access_logs(admin, application)
    assert secret not in logs
    assert "Kept Customer" in logs


def test_metrics_need_the_token_when_one_is_set():
    guarded = Server(args=["--metrics-token", "scrape-me"])
    try:
        assert requests.get(guarded.base_url + "/metrics").status_code == 401
        assert requests.get(guarded.base_url + "/metrics",
                            headers={"Authorization": "Bearer wrong"}).status_code == 401
        answered = requests.get(guarded.base_url + "/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert answered.status_code == 200 and "sconto_http_requests_total" in answered.text
    finally:
        assert guarded.stop() == 0


def test_metrics_without_a_token_answer_this_machine_only(server):
    # The shared server has no token: the loopback client is served (remote ones get 403).
    assert requests.get(server.base_url + "/metrics").status_code == 200
