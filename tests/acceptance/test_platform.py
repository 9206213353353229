"""Issue 3: server, accounts, keys, applications, errors and pagination through HTTP and the SDK's models."""

import pytest
import requests
import talon_one
from talon_one.models import (Application, ApplicationAPIKey, ErrorResponseWithStatus, LoginParams,
                              NewApplicationAPIKey, NewManagementKey)
from talon_one.rest import ApiException

from sconto_server import ADMIN_PASSWORD, Admin, Server


def error_body(response, status):
    assert response.status_code == status, response.text
    body = ErrorResponseWithStatus.from_dict(response.json())
    assert body.message
    return body


def test_health_answers_ok(base_url):
    response = requests.get(base_url + "/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_login_through_the_sdk(base_url):
    api = talon_one.ManagementApi(talon_one.ApiClient(talon_one.Configuration(host=base_url)))
    session = api.create_session(LoginParams(email="admin@sconto.test", password=ADMIN_PASSWORD))
    assert len(session.token) >= 32
    assert session.user_id > 0


def test_wrong_password_is_401(base_url):
    response = requests.post(base_url + "/v1/sessions", json={"email": "admin@sconto.test", "password": "nope"})
    error_body(response, 401)


def test_logout_revokes_the_token(base_url):
    admin = Admin(base_url)
    assert admin.http.get(admin.url("/v1/applications")).status_code == 200
    assert admin.http.delete(admin.url("/v1/sessions")).status_code == 204
    error_body(admin.http.get(admin.url("/v1/applications")), 401)


def test_applications_crud_validates_as_sdk_models(admin, mgmt_api):
    created = Application.from_dict(admin.create_application("CRUD shop", caseSensitivity="insensitive-uppercase"))
    assert created.case_sensitivity == "insensitive-uppercase"
    fetched = mgmt_api.get_application(created.id)
    assert fetched.name == "CRUD shop" and fetched.created == created.created
    listed = mgmt_api.get_applications(page_size=1000)
    assert any(app.id == created.id for app in listed.data)
    response = admin.http.put(admin.url(f"/v1/applications/{created.id}"),
                              json={"name": "Renamed", "timezone": "UTC", "currency": "USD"})
    assert Application.from_dict(response.json()).currency == "USD"
    assert admin.http.delete(admin.url(f"/v1/applications/{created.id}")).status_code == 204
    error_body(admin.http.get(admin.url(f"/v1/applications/{created.id}")), 404)


@pytest.mark.parametrize("body,pointer", [
    ({"timezone": "UTC", "currency": "EUR"}, "/name"),
    ({"name": 5, "timezone": "UTC", "currency": "EUR"}, "/name"),
    ({"name": "x", "timezone": "Mars/Olympus", "currency": "EUR"}, "/timezone"),
    ({"name": "x", "timezone": "UTC", "currency": "EUR", "caseSensitivity": "loud"}, "/caseSensitivity"),
])
def test_bad_application_bodies_name_the_field(admin, body, pointer):
    error = error_body(admin.http.post(admin.url("/v1/applications"), json=body), 400)
    assert pointer in error.message
    assert any(item.source.pointer == pointer for item in error.errors)


def test_malformed_json_unknown_route_and_wrong_method(admin):
    error_body(admin.http.post(admin.url("/v1/applications"), data="{not json"), 400)
    error_body(admin.http.get(admin.url("/v1/no_such_thing")), 404)
    error_body(admin.http.patch(admin.url("/v1/applications")), 405)


def test_oversized_body_is_413():
    server = Server(args=["--max-body-size", "1024"])
    try:
        admin = Admin(server.base_url)
        response = admin.http.post(admin.url("/v1/applications"), json={"name": "x" * 4096})
        error_body(response, 413)
    finally:
        assert server.stop() == 0


def test_pagination_and_sorting(admin):
    names = [f"page-{letter}" for letter in "edcba"]
    for name in names:
        admin.create_application(name)
    sorted_names = sorted(names)
    response = admin.http.get(admin.url("/v1/applications"), params={"sort": "name", "pageSize": 1000})
    ours = [app["name"] for app in response.json()["data"] if app["name"].startswith("page-")]
    assert ours == sorted_names
    descending = admin.http.get(admin.url("/v1/applications"), params={"sort": "-name", "pageSize": 2}).json()
    assert len(descending["data"]) == 2
    assert descending["totalResultSize"] >= 5
    skipped = admin.http.get(admin.url("/v1/applications"), params={"sort": "-name", "pageSize": 2, "skip": 1})
    assert skipped.json()["data"][0]["name"] == descending["data"][1]["name"]
    for bad in ({"pageSize": 0}, {"pageSize": 1001}, {"skip": -1}, {"sort": "password"}):
        error_body(admin.http.get(admin.url("/v1/applications"), params=bad), 400)


def test_integration_keys_authenticate_until_revoked(admin, application, base_url):
    response = admin.http.post(admin.url(f"/v1/applications/{application['id']}/api_keys"),
                               json={"title": "shop", "expires": "2099-01-01T00:00:00Z"})
    assert response.status_code == 201
    created = NewApplicationAPIKey.from_dict(response.json())
    listing = admin.http.get(admin.url(f"/v1/applications/{application['id']}/api_keys")).json()
    for item in listing["data"]:
        assert "key" not in item
        ApplicationAPIKey.from_dict(item)
    good = {"Authorization": f"ApiKey-v1 {created.key}"}
    session = {"customerSession": {"cartItems": []}}
    assert requests.put(f"{base_url}/v2/customer_sessions/auth-check", json=session, headers=good).status_code == 200
    bad = {"Authorization": "ApiKey-v1 " + "0" * 64}
    error_body(requests.put(f"{base_url}/v2/customer_sessions/auth-check", json=session, headers=bad), 401)
    assert admin.http.delete(admin.url(f"/v1/applications/{application['id']}/api_keys/{created.id}")).status_code == 204
    error_body(requests.put(f"{base_url}/v2/customer_sessions/auth-check", json=session, headers=good), 401)


def test_expired_integration_key_is_refused(admin, application):
    response = admin.http.post(admin.url(f"/v1/applications/{application['id']}/api_keys"),
                               json={"title": "old", "expires": "2001-01-01T00:00:00Z"})
    error_body(response, 400)  # a key cannot be created already expired


def test_management_keys(admin, base_url, application):
    response = admin.http.post(admin.url("/v1/management_keys"), json={
        "name": "reporting", "expiryDate": "2099-01-01T00:00:00Z",
        "endpoints": [{"method": "GET", "path": "/v1/applications/:applicationId"}],
        "allowedApplicationIds": [application["id"]]})
    assert response.status_code == 201, response.text
    key = NewManagementKey.from_dict(response.json())
    headers = {"Authorization": f"ManagementKey-v1 {key.key}"}
    assert requests.get(f"{base_url}/v1/applications/{application['id']}", headers=headers).status_code == 200
    error_body(requests.get(f"{base_url}/v1/applications", headers=headers), 403)
    listed = admin.http.get(admin.url("/v1/management_keys")).json()["data"]
    assert all("key" not in item for item in listed)
    assert admin.http.delete(admin.url(f"/v1/management_keys/{key.id}")).status_code == 204
    error_body(requests.get(f"{base_url}/v1/applications/{application['id']}", headers=headers), 401)


def test_secrets_are_stored_hashed(server, admin, application):
    key = admin.create_api_key(application["id"])
    dump = server.dump()
    assert key not in dump
    assert admin.token not in dump
    assert ADMIN_PASSWORD not in dump


def test_first_start_prints_a_generated_admin_password():
    server = Server(env={"SCONTO_ADMIN_EMAIL": "", "SCONTO_ADMIN_PASSWORD": ""})
    try:
        line = next(line for line in server.logs().splitlines() if "password:" in line)
        password = line.split("password:")[1].split()[0]
        Admin(server.base_url, email="admin@localhost", password=password)
        with pytest.raises(ApiException) as failure:
            api = talon_one.ManagementApi(talon_one.ApiClient(talon_one.Configuration(host=server.base_url)))
            api.create_session(LoginParams(email="admin@localhost", password="guess"))
        assert failure.value.status == 401
    finally:
        assert server.stop() == 0


def test_openapi_document_and_metrics(base_url, admin, application):
    document = requests.get(base_url + "/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    session_update = document["paths"]["/v2/customer_sessions/{customerSessionId}"]["put"]
    assert session_update["operationId"] == "updateCustomerSessionV2"
    assert document["paths"]["/v1/applications/{applicationId}/campaigns"]["post"]["operationId"] == "createCampaign"
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) >= 60 and all(op["operationId"] != "undocumented" for op in operations)

    assert admin.http.get(admin.url(f"/v1/applications/{application['id']}")).status_code == 200
    metrics = requests.get(base_url + "/metrics").text
    line = next(line for line in metrics.splitlines()
                if line.startswith('sconto_http_requests_total{method="GET",route="/v1/applications/{applicationId}",status="200"}'))
    assert int(line.split()[-1]) >= 1
    assert "sconto_engine_evaluation_seconds_count" in metrics


def test_options_from_environment_variables(tmp_path):
    import os
    import subprocess
    import time
    from sconto_server import binary, free_port
    port = free_port()
    environment = dict(os.environ, SCONTO_PORT=str(port), SCONTO_DATABASE=f"sqlite:{tmp_path}/env.sqlite",
                       SCONTO_LOG_LEVEL="warning", SCONTO_ADMIN_EMAIL="env@sconto.test", SCONTO_ADMIN_PASSWORD="pw-from-env")
    process = subprocess.Popen([binary(), "serve"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                assert time.time() < deadline and process.poll() is None, "server did not start from the environment"
                time.sleep(0.1)
        login = requests.post(f"http://127.0.0.1:{port}/v1/sessions", json={"email": "env@sconto.test", "password": "pw-from-env"})
        assert login.status_code == 201
        assert (tmp_path / "env.sqlite").exists()
    finally:
        process.terminate()
        process.wait(timeout=30)

    bad = subprocess.run([binary(), "serve"], env=dict(environment, SCONTO_PORT="eighty"), capture_output=True,
                         text=True, timeout=30)
    assert bad.returncode != 0
    assert "SCONTO_PORT must be an integer" in bad.stderr + bad.stdout


@pytest.mark.parametrize("switch", [{"env": {"SCONTO_DEMO": "1"}}, {"args": ["--demo"]}], ids=["env", "flag"])
def test_the_demo_seed_by_environment_or_flag(switch):
    # SCONTO_DEMO=1 once made the argument parser refuse to start (a flag defaulting to true).
    env = {"SCONTO_ADMIN_EMAIL": "admin@example.com", "SCONTO_ADMIN_PASSWORD": ADMIN_PASSWORD, **switch.get("env", {})}
    server = Server(env=env, args=switch.get("args", ()))
    try:
        line = next(line for line in server.logs().splitlines() if "Integration API key:" in line)
        key = line.split("Integration API key:")[1].split()[0]
        configuration = talon_one.Configuration(host=server.base_url, api_key={"api_key_v1": key},
                                                api_key_prefix={"api_key_v1": "ApiKey-v1"})
        api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
        answer = api.update_customer_session_v2("demo-s1", talon_one.IntegrationRequest(
            customer_session=talon_one.NewCustomerSessionV2(coupon_codes=["xmas20"], cart_items=[
                talon_one.CartItem(name="tree", sku="tree", quantity=1, price=123)])))
        assert [(effect.effect_type, effect.props["value"]) for effect in answer.effects
                if effect.effect_type == "setDiscount"] == [("setDiscount", 24.6)]
    finally:
        assert server.stop() == 0
