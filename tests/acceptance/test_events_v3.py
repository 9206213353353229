"""Advanced events (`POST /v3/events`, `GET /v3/events/{integrationId}`). talon-one-sdk 26.2 has the models
(`IntegrationEventV3Request`, `IntegrationEventV3Response`) but no method for these paths: the requests are
built and the answers read with the SDK's models, over plain HTTP."""
import concurrent.futures
import uuid

import requests
from talon_one.models import IntegrationEventV3Request, IntegrationEventV3Response

from test_promotions import TUTORIAL_CART, Shop

ON_SHARE = {"title": "share reward", "condition": ["=", [".", "Event", "Type"], "shared"],
            "effects": [["showNotification", "info", "Thanks", "for sharing"]]}


def post(shop, body, **params):
    return requests.post(f"{shop.base_url}/v3/events", params=params, json=body,
                         headers={"Authorization": f"ApiKey-v1 {shop.key}"})


def test_an_advanced_event_runs_the_rules_once_per_integration_id(admin, base_url):
    shop = Shop(admin, base_url)
    campaign = shop.campaign([ON_SHARE], features=())
    shop.session("v3-closed", profileId="sharer", cartItems=TUTORIAL_CART, state="closed")
    event_id = f"evt-{uuid.uuid4().hex[:8]}"
    request = IntegrationEventV3Request(profile_id="sharer", integration_id=event_id, type="shared", attributes={},
                                        connected_session_id="v3-closed",
                                        response_content=["triggeredCampaigns", "customerProfile"])
    body = {**request.to_dict(), "responseContent": ["triggeredCampaigns", "customerProfile", "advancedEvent"]}
    # A dry run evaluates and stores nothing: the id stays free.
    dry = post(shop, body, dry="true")
    assert dry.status_code == 200, dry.text
    first = post(shop, body)
    assert first.status_code == 200, first.text
    answer = IntegrationEventV3Response.from_dict(first.json())
    assert [e.effect_type for e in answer.effects] == ["showNotification"]
    assert [c.id for c in answer.triggered_campaigns] == [campaign.id]
    assert answer.customer_profile.integration_id == "sharer"
    advanced = first.json()["advancedEvent"]
    assert advanced["integrationId"] == event_id and advanced["connectedSessionId"] == "v3-closed"
    # The same id again is refused, whatever else differs.
    again = post(shop, {**body, "profileId": "someone-else"})
    assert again.status_code == 409, again.text
    fetched = requests.get(f"{base_url}/v3/events/{event_id}", headers={"Authorization": f"ApiKey-v1 {shop.key}"})
    assert fetched.status_code == 200, fetched.text
    stored = fetched.json()
    assert stored["type"] == "shared" and stored["profileId"] == "sharer" and stored["id"] == advanced["id"]
    assert stored["effects"][0][0] == campaign.id and stored["effects"][0][3][0] == "showNotification"
    missing = requests.get(f"{base_url}/v3/events/nope-{event_id}", headers={"Authorization": f"ApiKey-v1 {shop.key}"})
    assert missing.status_code == 404


def test_advanced_event_checks(admin, base_url):
    shop = Shop(admin, base_url)
    shop.session("v3-open", profileId="p", cartItems=TUTORIAL_CART)
    base = {"profileId": "p", "type": "shared", "integrationId": f"chk-{uuid.uuid4().hex[:8]}"}
    open_session = post(shop, {**base, "connectedSessionId": "v3-open"})
    assert open_session.status_code == 400
    assert open_session.json()["errors"][0]["source"]["pointer"] == "/connectedSessionId"
    assert post(shop, {**base, "connectedSessionId": "no-such-session"}).status_code == 400
    assert post(shop, {**base, "integrationId": ""}).status_code == 400
    assert post(shop, {"profileId": "p", "type": "shared"}).status_code == 400
    assert post(shop, {**base, "type": "talon_session_closed"}).status_code == 400


def test_concurrent_identical_events_store_one(admin, base_url):
    shop = Shop(admin, base_url)
    shop.campaign([ON_SHARE], features=())
    body = {"profileId": "racer", "type": "shared", "integrationId": f"race-{uuid.uuid4().hex[:8]}"}
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _: post(shop, body).status_code, range(20)))
    assert statuses.count(200) == 1 and set(statuses) <= {200, 409}, statuses
