"""What Sconto answers matches the schemas its own /openapi.json publishes (Talon.One's, for compatible operations).

A generated client decodes answers by these schemas, so an answer that breaks them breaks the client.
"""
import jsonschema
import pytest
import requests

# Gaps between Sconto's answers and Talon.One's schemas, known and left to the work on response bodies:
# (operationId, JSON path of the object, required property it lacks). A gap closed can be struck from here.
# Properties Talon.One requires that Sconto's answers still lack (none since the spec-conformance work).
KNOWN_GAPS: set = set()


@pytest.fixture(scope="module")
def document(base_url):
    response = requests.get(base_url + "/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def shop(admin, base_url):
    """An application with a campaign (10 off), two coupons and one customer session."""
    application = admin.create_application("Contract")
    key = admin.create_api_key(application["id"])
    prefix = f"/v1/applications/{application['id']}"
    campaign = admin.http.post(admin.url(prefix + "/campaigns"), json={
        "name": "Ten off", "state": "enabled", "tags": [], "features": ["coupons"], "limits": []}).json()
    ruleset = admin.http.post(admin.url(f"{prefix}/campaigns/{campaign['id']}/rulesets"), json={
        "rules": [{"title": "ten off", "condition": ["=", 1, 1], "effects": [["setDiscount", "ten off", 10]]}],
        "bindings": [], "activate": True})
    assert ruleset.status_code == 201, ruleset.text
    coupons = admin.http.post(admin.url(f"{prefix}/campaigns/{campaign['id']}/coupons"), params={"silent": "no"},
                             json={"numberOfCoupons": 2})
    assert coupons.status_code == 200, coupons.text
    ids = {"applicationId": application["id"], "campaignId": campaign["id"], "customerSessionId": "contract-1",
           "integrationId": "contract-profile"}
    return ids, {"Authorization": f"ApiKey-v1 {key}"}


SESSION = {"customerSession": {"profileId": "contract-profile",
                               "cartItems": [{"sku": "a", "name": "A", "quantity": 2, "price": 24.5}]},
           "responseContent": ["customerSession", "customerProfile", "triggeredCampaigns"]}

# (method, path, query, body, Integration API?) in the order they run: the session exists before it is read.
CALLS = [
    ("put", "/v2/customer_sessions/{customerSessionId}", None, SESSION, True),
    ("get", "/v2/customer_sessions/{customerSessionId}", None, None, True),
    ("put", "/v2/customer_profiles/{integrationId}", None, {"attributes": {}, "responseContent": ["customerProfile"]}, True),
    ("post", "/v2/events", None, {"profileId": "contract-profile", "type": "viewed", "attributes": {}}, True),
    ("get", "/v1/integration/campaigns", None, None, True),
    ("get", "/v1/applications", None, None, False),
    ("get", "/v1/applications/{applicationId}", None, None, False),
    ("get", "/v1/applications/{applicationId}/campaigns", None, None, False),
    ("get", "/v1/applications/{applicationId}/campaigns/{campaignId}", None, None, False),
    ("get", "/v1/applications/{applicationId}/campaigns/{campaignId}/rulesets", None, None, False),
    ("get", "/v1/applications/{applicationId}/campaigns/{campaignId}/coupons/no_total", None, None, False),
    ("get", "/v1/applications/{applicationId}/campaigns/{campaignId}/analytics",
     {"rangeStart": "2020-01-01T00:00:00Z", "rangeEnd": "2040-01-01T00:00:00Z"}, None, False),
    ("get", "/v1/applications/{applicationId}/api_keys", None, None, False),
    ("get", "/v1/applications/{applicationId}/campaign_set", None, None, False),
    ("get", "/v1/applications/{applicationId}/sessions", None, None, False),
    ("get", "/v1/applications/{applicationId}/customers", None, None, False),
    ("get", "/v1/applications/{applicationId}/events/no_total", None, None, False),
    ("get", "/v1/management_keys", None, None, False),
    ("get", "/v1/attributes", None, None, False),
    ("get", "/v1/campaign_groups", None, None, False),
]


def gaps(document, operation, answer):
    """What in the answer breaks the operation's documented schema for its status, known gaps set aside."""
    responses = operation["responses"]
    assert str(answer.status_code) in responses, \
        f"{operation['operationId']} answered {answer.status_code}, documented {sorted(responses)}: {answer.text[:300]}"
    schema = responses[str(answer.status_code)]["content"]["application/json"]["schema"]
    validator = jsonschema.Draft202012Validator({**schema, "components": document["components"]})
    found = []
    for error in validator.iter_errors(answer.json()):
        # Talon.One's effect props are a oneOf without discriminator whose alternatives overlap (setDiscount's
        # props fit several): "valid under each of" is the spec's ambiguity, not the answer's fault.
        if "is valid under each of" in error.message:
            continue
        path = "/".join(str(step) for step in error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            if (operation["operationId"], path, missing) in KNOWN_GAPS:
                continue
        found.append(f"{path or '(root)'}: {error.message[:200]}")
    return found


def test_answers_match_the_published_schemas(document, shop, base_url, admin):
    ids, integration = shop
    problems = {}
    for method, path, query, body, is_integration in CALLS:
        url = base_url + path.format(**ids)
        if is_integration:
            answer = requests.request(method, url, params=query, json=body, headers=integration)
        else:
            answer = admin.http.request(method, url, params=query, json=body)
        operation = document["paths"][path][method]
        found = gaps(document, operation, answer)
        if found:
            problems[operation["operationId"]] = found
    assert problems == {}


def test_refusals_match_the_published_error_shape(document, admin, base_url):
    answer = admin.http.post(admin.url("/v1/applications"), json={"name": "x", "currency": "EUR", "timezone": "Mars/Olympus"})
    assert answer.status_code == 400
    operation = document["paths"]["/v1/applications"]["post"]
    schema = operation["responses"]["default"]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(answer.json())
    assert answer.json()["errors"][0]["source"]["pointer"] == "/timezone"
