"""Production edges: the per-account IP allowlist (APIs and UI), X-Forwarded-For from trusted proxies only,
and readiness for load balancers. Each test runs its own server: the allowlist is account-wide."""
import http.client
import signal
import urllib.parse
import time

import pytest
import requests
import talon_one
from talon_one.rest import ApiException

from sconto_server import Admin, Server, postgres_server_url

ALLOWLIST = "/v1/accounts/current/ip_allowlist"
OUTSIDE = "203.0.113.9"


@pytest.fixture
def proxied():
    """A server behind a (simulated) reverse proxy on this machine: X-Forwarded-For names the client."""
    server = Server(args=["--trusted-proxies", "127.0.0.1/32, ::1/128"])
    yield server
    server.stop_cleanly()


def clients(server, admin, key, forwarded_for):
    """The SDK's Management and Integration APIs, sending `X-Forwarded-For` as a proxy would."""
    management = talon_one.Configuration(host=server.base_url, api_key={"manager_auth": admin.token},
                                         api_key_prefix={"manager_auth": "Bearer"})
    integration = talon_one.Configuration(host=server.base_url, api_key={"api_key_v1": key},
                                          api_key_prefix={"api_key_v1": "ApiKey-v1"})
    header = {"header_name": "X-Forwarded-For", "header_value": forwarded_for}
    return (talon_one.ManagementApi(talon_one.ApiClient(management, **header)),
            talon_one.IntegrationApi(talon_one.ApiClient(integration, **header)))


def assert_forbidden(call):
    with pytest.raises(ApiException) as refused:
        call()
    assert refused.value.status == 403
    assert "IP allowlist" in refused.value.body and '"StatusCode":403' in refused.value.body.replace(" ", "")


def test_entries_must_be_cidr_blocks_and_must_not_lock_the_caller_out(proxied):
    admin = Admin(proxied.base_url)
    bad = admin.http.put(admin.url(ALLOWLIST), json={"cidrs": ["10.0.0.0/8", "10.0.0.0/33", "example.com"]})
    assert bad.status_code == 400
    assert [e["source"]["pointer"] for e in bad.json()["errors"]] == ["/cidrs/1", "/cidrs/2"]

    locked_out = admin.http.put(admin.url(ALLOWLIST), json={"cidrs": ["10.0.0.0/8"]},
                                headers={"X-Forwarded-For": "192.0.2.1"})
    assert locked_out.status_code == 400
    assert [e["source"]["pointer"] for e in locked_out.json()["errors"]] == ["/cidrs"]
    assert "192.0.2.1" in locked_out.text
    assert admin.http.get(admin.url(ALLOWLIST)).json() == {"cidrs": []}


def test_clients_outside_the_allowlist_are_refused_403_on_every_api_and_the_ui(proxied):
    admin = Admin(proxied.base_url)
    application = admin.create_application()
    key = admin.create_api_key(application["id"])
    cidrs = ["192.0.2.0/24", "2001:db8::/32"]
    saved = admin.http.put(admin.url(ALLOWLIST), json={"cidrs": cidrs}, headers={"X-Forwarded-For": "192.0.2.7"})
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"cidrs": cidrs}

    for inside in ["192.0.2.200", "2001:db8::5", f"{OUTSIDE}, 192.0.2.7"]:
        management, integration = clients(proxied, admin, key, inside)
        assert management.get_application(application["id"]).id == application["id"]
        session = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(cart_items=[]))
        assert integration.update_customer_session_v2("inside", session).effects == []

    # The client is the rightmost address no trusted proxy wrote: one it prepends itself proves nothing.
    for outside in [OUTSIDE, f"192.0.2.7, {OUTSIDE}", f"{OUTSIDE}, 127.0.0.1", "2001:db9::1"]:
        management, integration = clients(proxied, admin, key, outside)
        assert_forbidden(lambda: management.get_application(application["id"]))
        session = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(cart_items=[]))
        assert_forbidden(lambda: integration.update_customer_session_v2("outside", session))

    login = requests.post(proxied.base_url + "/v1/sessions", headers={"X-Forwarded-For": OUTSIDE},
                          json={"email": "admin@sconto.test", "password": "correct horse battery staple"})
    assert login.status_code == 403 and login.json()["StatusCode"] == 403
    assert ui_page(proxied, "/applications", "192.0.2.9")[0] == 200
    with pytest.raises(AssertionError, match="403"):  # no UI login from outside either
        ui_page(proxied, "/applications", OUTSIDE, login_from=OUTSIDE)
    status, page = ui_page(proxied, "/applications", OUTSIDE)
    assert status == 403 and "IP allowlist" in page
    assert "refused a request outside the account's IP allowlist" in proxied.logs()
    assert "203.0.113.9" in proxied.logs()

    cleared = admin.http.put(admin.url(ALLOWLIST), json={"cidrs": []}, headers={"X-Forwarded-For": "192.0.2.7"})
    assert cleared.status_code == 200
    management, _ = clients(proxied, admin, key, OUTSIDE)
    assert management.get_application(application["id"]).id == application["id"]


def ui_page(server, path, forwarded_for, login_from="192.0.2.7"):
    """The Campaign Manager page at `path` for a logged-in browser behind the proxy (stdlib HTTP: the UI is no
    API operation for the spec checker), logging in from an allowed address first. Returns (status, body)."""
    def call(method, target, client, cookie="", body=None):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {"X-Forwarded-For": client, "Cookie": cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []]
        return response.status, response.read().decode(), cookies

    _, _, login_cookies = call("GET", "/login", login_from)
    csrf = dict(c.split("=", 1) for c in login_cookies)["sconto_login_csrf"]
    form = urllib.parse.urlencode({"email": "admin@sconto.test", "password": "correct horse battery staple",
                                   "csrf": csrf})
    status, _, session_cookies = call("POST", "/login", login_from, "; ".join(login_cookies), form)
    assert status in (302, 303), f"login answered {status}"
    status, body, _ = call("GET", path, forwarded_for, "; ".join(session_cookies))
    return status, body


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy():
    server = Server()
    try:
        admin = Admin(server.base_url)
        # Without trusted proxies the caller is the peer (127.0.0.1), whatever the header claims.
        refused = admin.http.put(admin.url(ALLOWLIST), json={"cidrs": ["192.0.2.0/24"]},
                                 headers={"X-Forwarded-For": "192.0.2.7"})
        assert refused.status_code == 400 and "127.0.0.1" in refused.text
        saved = admin.http.put(admin.url(ALLOWLIST), json={"cidrs": ["127.0.0.0/8"]},
                               headers={"X-Forwarded-For": OUTSIDE})
        assert saved.status_code == 200
        assert admin.http.get(admin.url("/v1/applications"), headers={"X-Forwarded-For": OUTSIDE}).status_code == 200
    finally:
        server.stop_cleanly()


def test_readiness_turns_503_while_draining_and_liveness_stays_200():
    server = Server(args=["--drain-delay", "3"])
    server.wait_until_ready()
    assert requests.get(server.base_url + "/readyz").json() == {"status": "ready"}
    server.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 3
    while (ready := requests.get(server.base_url + "/readyz")).status_code == 200:
        assert time.monotonic() < deadline, "still ready after SIGTERM"
        time.sleep(0.02)
    assert ready.status_code == 503
    assert ready.json()["StatusCode"] == 503 and "shutting down" in ready.json()["message"]
    assert requests.get(server.base_url + "/healthz").status_code == 200  # alive while it drains
    assert server.process.wait(timeout=30) == 0
    server.stop()


def test_a_coupon_job_stopped_by_sigterm_resumes_after_a_restart_and_makes_exactly_what_was_asked():
    first = Server()
    admin = Admin(first.base_url)
    application = admin.create_application()
    prefix = f"/v1/applications/{application['id']}"
    campaign = admin.http.post(admin.url(prefix + "/campaigns"), json={
        "name": "jobs", "state": "enabled", "tags": [], "features": ["coupons"], "limits": []}).json()
    path = f"{prefix}/campaigns/{campaign['id']}/coupons_async"
    # Enough 2,000-code chunks that SIGTERM lands mid-job; fewer on PostgreSQL, whose debug-build inserts are slower.
    wanted = 30_000 if postgres_server_url() else 120_000
    started = admin.http.post(admin.url(path), json={"numberOfCoupons": wanted, "couponPattern": "RS-##########",
                                                     "usageLimit": 1, "attributes": {}})
    assert started.status_code == 200, started.text
    batch = started.json()["batchId"]
    deadline = time.monotonic() + 60
    while admin.http.get(admin.url(f"{path}/{batch}")).json()["created"] == 0:
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.01)
    database_url, database_name = first.release_database()
    first.stop_cleanly()  # SIGTERM mid-job: the worker hands the job back

    second = Server(database_url=database_url, owned_database=database_name)
    try:
        admin = Admin(second.base_url)
        interrupted = admin.http.get(admin.url(f"{path}/{batch}")).json()
        assert 0 < interrupted["created"] < wanted and not interrupted["done"], interrupted
        deadline = time.monotonic() + 180
        while not (progress := admin.http.get(admin.url(f"{path}/{batch}")).json())["done"]:
            assert time.monotonic() < deadline, progress
            time.sleep(0.05)
        assert progress["created"] == wanted and progress.get("failure") is None, progress
        exported = admin.http.get(admin.url(f"{prefix}/export_coupons"), params={"campaignId": campaign["id"]})
        codes = exported.text.strip().splitlines()[1:]
        assert len(codes) == len(set(codes)) == wanted
    finally:
        second.stop_cleanly()
