"""A management key limited to applications stays inside them, route family by route family."""
import pytest
import requests

from test_promotions import TWENTY_PERCENT, Shop


@pytest.fixture
def setup(admin, base_url):
    own, other = Shop(admin, base_url), Shop(admin, base_url)
    bystander = admin.http.post(admin.url("/v1/management_keys"), json={
        "name": "bystander", "expiryDate": "2099-01-01T00:00:00Z", "endpoints": []})
    assert bystander.status_code == 201, bystander.text
    created = admin.http.post(admin.url("/v1/management_keys"), json={
        "name": "limited", "expiryDate": "2099-01-01T00:00:00Z", "endpoints": [],
        "allowedApplicationIds": [own.application["id"]]})
    assert created.status_code == 201, created.text
    http = requests.Session()
    http.headers["Authorization"] = f"ManagementKey-v1 {created.json()['key']}"
    return {"own": own, "other": other, "http": http, "bystander": bystander.json()["id"], "url": base_url}


def call(setup, method, path, **kwargs):
    return setup["http"].request(method, setup["url"] + path, **kwargs)


def forbidden(response):
    return response.status_code == 403 and response.json()["StatusCode"] == 403


def test_its_own_application_is_reachable_and_others_are_not(setup):
    own, other = setup["own"].application["id"], setup["other"].application["id"]
    assert call(setup, "GET", f"/v1/applications/{own}").status_code == 200
    assert call(setup, "GET", f"/v1/applications/{own}/campaigns").status_code == 200
    assert forbidden(call(setup, "GET", f"/v1/applications/{other}"))
    assert forbidden(call(setup, "GET", f"/v1/applications/{other}/campaigns"))


def test_applications_cannot_be_listed_or_created(setup):
    assert forbidden(call(setup, "GET", "/v1/applications"))
    assert forbidden(call(setup, "POST", "/v1/applications",
                          json={"name": "x", "timezone": "UTC", "currency": "EUR"}))


def test_management_keys_cannot_be_listed_created_or_deleted(setup, admin):
    assert forbidden(call(setup, "GET", "/v1/management_keys"))
    assert forbidden(call(setup, "POST", "/v1/management_keys",
                          json={"name": "x", "expiryDate": "2099-01-01T00:00:00Z", "endpoints": []}))
    assert forbidden(call(setup, "DELETE", f"/v1/management_keys/{setup['bystander']}"))
    assert admin.http.get(admin.url(f"/v1/management_keys/{setup['bystander']}")).status_code == 200


def test_attributes_and_campaign_groups_are_out_of_reach(setup):
    assert forbidden(call(setup, "GET", "/v1/attributes"))
    assert forbidden(call(setup, "POST", "/v1/attributes", json={
        "entity": "CustomerSession", "name": "x", "title": "x", "type": "string", "description": "",
        "suggestions": [], "editable": True}))
    assert forbidden(call(setup, "GET", "/v1/campaign_groups"))
    assert forbidden(call(setup, "POST", "/v1/campaign_groups", json={"name": "x"}))


def test_campaigns_cannot_be_copied_into_another_application(setup):
    own, other = setup["own"], setup["other"]
    campaign = own.campaign([TWENTY_PERCENT])
    path = f"{own.prefix}/campaigns/{campaign.id}/copy"
    refused = call(setup, "POST", path, json={"applicationIds": [other.application["id"]]})
    assert forbidden(refused)
    assert refused.json()["errors"][0]["source"]["pointer"] == "/applicationIds/0"
    assert other.admin.http.get(other.admin.url(f"{other.prefix}/campaigns")).json()["totalResultSize"] == 0
    assert call(setup, "POST", path, json={"applicationIds": [own.application["id"]]}).status_code == 200


def test_logins_and_password_changes_are_for_users_only(setup):
    assert forbidden(call(setup, "POST", "/v1/password_changes",
                          json={"currentPassword": "x", "newPassword": "a long new password"}))
