"""Audiences through SDK 26.2: created by the shop, membership changed by `audiencesChanges`, by
`updateCustomerProfileAudiences` and by rules' effects, campaigns that apply only to members."""
import uuid

import pytest
import requests
from talon_one.models import (CustomerProfileAudienceRequest, CustomerProfileAudienceRequestItem,
                              CustomerProfileIntegrationRequestV2, NewAudience, ProfileAudiencesChanges,
                              UpdateAudience)

from conftest import integration_client
from test_attributes import new_attribute
from test_promotions import Shop, TUTORIAL_CART

CHEAP_CART = [{"name": "Socks", "sku": "socks-1", "quantity": 1, "price": 5, "category": "Socks"}]


@pytest.fixture
def shop(admin, base_url, mgmt_api):
    shop = Shop(admin, base_url)
    shop.api = integration_client(base_url, shop.key)
    shop.admin_api = mgmt_api
    return shop


def effects_of(effects, kind):
    return [e["props"] for e in effects if e["effectType"] == kind]


def profile_audiences(shop, profile_id, **changes):
    request = CustomerProfileIntegrationRequestV2(attributes={}, response_content=["customerProfile"],
                                                  audiences_changes=ProfileAudiencesChanges(**changes))
    answer = shop.api.update_customer_profile_v2(profile_id, request)
    return sorted(m.id for m in answer.customer_profile.audience_memberships or [])


def test_an_audience_targeted_campaign_applies_only_to_members(shop):
    vip = shop.api.create_audience_v2(NewAudience(name="VIP"))
    assert vip.name == "VIP" and vip.id > 0
    shop.campaign([{"title": "5 off for VIPs", "condition": ["profileInAudience", vip.id],
                    "effects": [["setDiscount", "VIP", 5]]}], features=())

    assert effects_of(shop.session("before", profileId="p1", cartItems=TUTORIAL_CART), "setDiscount") == []
    assert profile_audiences(shop, "p1", adds=[vip.id], deletes=[]) == [vip.id]
    assert [p["value"] for p in effects_of(shop.session("member", profileId="p1", cartItems=TUTORIAL_CART),
                                           "setDiscount")] == [5]
    assert effects_of(shop.session("anonymous", cartItems=TUTORIAL_CART), "setDiscount") == []
    assert effects_of(shop.session("other", profileId="p2", cartItems=TUTORIAL_CART), "setDiscount") == []

    # Leaving the audience ends the discount.
    assert profile_audiences(shop, "p1", adds=[], deletes=[vip.id]) == []
    assert effects_of(shop.session("after", profileId="p1", cartItems=TUTORIAL_CART), "setDiscount") == []

    # The bulk endpoint adds and removes; the Management API lists the members.
    shop.api.update_customer_profile_audiences(CustomerProfileAudienceRequest(data=[
        CustomerProfileAudienceRequestItem(action="add", profile_integration_id="p1", audience_id=vip.id),
        CustomerProfileAudienceRequestItem(action="add", profile_integration_id="not-seen-yet", audience_id=vip.id),
        CustomerProfileAudienceRequestItem(action="add", profile_integration_id="p2", audience_id=vip.id),
        CustomerProfileAudienceRequestItem(action="delete", profile_integration_id="p2", audience_id=vip.id),
    ]))
    members = shop.admin_api.get_audience_memberships(vip.id).data
    assert [m.integration_id for m in members] == ["p1", "not-seen-yet"]
    empty = shop.api.create_audience_v2(NewAudience(name="Empty"))
    analytics = shop.admin_api.get_audiences_analytics(f"{vip.id},{empty.id},999999").data
    assert [(a.audience_id, a.members_count) for a in analytics] == [(vip.id, 2), (empty.id, 0)]
    assert [p["value"] for p in effects_of(shop.session("bulk", profileId="p1", cartItems=TUTORIAL_CART),
                                           "setDiscount")] == [5]


def test_rules_add_and_remove_members(shop):
    spenders = shop.api.create_audience_v2(NewAudience(name="Big spenders"))
    shop.campaign([
        {"title": "join", "condition": [">", [".", "Session", "Total"], 100], "effects": [["addToAudience", spenders.id]]},
        {"title": "leave", "condition": ["<", [".", "Session", "Total"], 10],
         "effects": [["removeFromAudience", spenders.id]]},
    ], features=())
    effects = shop.session("big", profileId="spender", cartItems=TUTORIAL_CART)
    [added] = effects_of(effects, "addToAudience")
    assert added["audienceId"] == spenders.id and added["audienceName"] == "Big spenders"
    assert added["profileIntegrationId"] == "spender"
    assert [m.integration_id for m in shop.admin_api.get_audience_memberships(spenders.id).data] == ["spender"]

    [removed] = effects_of(shop.session("small", profileId="spender", cartItems=CHEAP_CART), "removeFromAudience")
    assert removed["audienceId"] == spenders.id
    assert shop.admin_api.get_audience_memberships(spenders.id).data == []

    # An anonymous session cannot join: the rule's effect does not apply.
    assert effects_of(shop.session("anonymous", cartItems=TUTORIAL_CART), "addToAudience") == []


def test_audiences_are_listed_renamed_emptied_and_deleted(shop):
    first = shop.api.create_audience_v2(NewAudience(name="First", description="one"))
    second = shop.api.create_audience_v2(NewAudience(name="Second", integration="mparticle", integration_id="mp-2"))
    listed = shop.admin_api.get_audiences(with_total_result_size=True)
    assert {first.id, second.id} <= {a.id for a in listed.data} and listed.total_result_size >= 2

    renamed = shop.api.update_audience_v2(first.id, UpdateAudience(name="Renamed"))
    assert renamed.name == "Renamed" and renamed.id == first.id
    profile_audiences(shop, "member", adds=[first.id, second.id], deletes=[])
    shop.api.delete_audience_memberships_v2(first.id)
    assert shop.admin_api.get_audience_memberships(first.id).data == []
    assert profile_audiences(shop, "member", adds=[], deletes=[]) == [second.id]
    shop.api.delete_audience_v2(second.id)
    assert second.id not in {a.id for a in shop.admin_api.get_audiences().data}
    assert profile_audiences(shop, "member", adds=[], deletes=[]) == []

    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    dup = requests.post(f"{shop.base_url}/v2/audiences", headers=headers,
                        json={"name": "Again", "integration": "mparticle", "integrationId": "mp-3"})
    assert dup.status_code == 201, dup.text
    dup = requests.post(f"{shop.base_url}/v2/audiences", headers=headers,
                        json={"name": "Again", "integration": "mparticle", "integrationId": "mp-3"})
    assert dup.status_code == 409, dup.text
    for url, body, pointer in [
        ("/v2/audiences", {"name": ""}, "/name"),
        ("/v2/customer_audiences", {"data": [{"action": "add", "profileIntegrationId": "x", "audienceId": 999999}]},
         "/data/0/audienceId"),
        ("/v2/customer_audiences", {"data": [{"action": "join", "profileIntegrationId": "x", "audienceId": first.id}]},
         "/data/0/action"),
    ]:
        response = requests.post(shop.base_url + url, json=body, headers=headers)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["source"]["pointer"] == pointer
    response = requests.put(f"{shop.base_url}/v2/customer_profiles/p", headers=headers,
                            json={"audiencesChanges": {"adds": [999999], "deletes": []}})
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["source"]["pointer"] == "/audiencesChanges/adds/0"


def profile_attributes(shop, profile_id):
    request = CustomerProfileIntegrationRequestV2(attributes={}, response_content=["customerProfile"])
    return shop.api.update_customer_profile_v2(profile_id, request).customer_profile.attributes


def test_attributes_set_for_every_member_of_an_audience(shop):
    tier, city = f"Tier{uuid.uuid4().hex[:6]}", f"City{uuid.uuid4().hex[:6]}"
    shop.admin_api.create_attribute(new_attribute("CustomerProfile", tier, "string"))
    shop.admin_api.create_attribute(new_attribute("CustomerProfile", city, "string"))
    gold = shop.api.create_audience_v2(NewAudience(name="gold members"))
    shop.api.update_customer_profile_v2("m1", CustomerProfileIntegrationRequestV2(attributes={city: "Berlin"}))
    assert profile_audiences(shop, "m1", adds=[gold.id], deletes=[]) == [gold.id]
    assert profile_audiences(shop, "m2", adds=[gold.id], deletes=[]) == [gold.id]
    shop.api.update_customer_profile_v2("outsider", CustomerProfileIntegrationRequestV2(attributes={city: "Rome"}))

    shop.api.update_audience_customers_attributes(gold.id, {tier: "gold"})
    # Merged over what the members had; the outsider is untouched.
    assert profile_attributes(shop, "m1") == {city: "Berlin", tier: "gold"}
    assert profile_attributes(shop, "m2") == {tier: "gold"}
    assert profile_attributes(shop, "outsider") == {city: "Rome"}

    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    unknown = requests.put(f"{shop.base_url}/v2/audience_customers/{gold.id}/attributes", headers=headers,
                           json={"NoSuchAttribute": 1, tier: 5})
    assert unknown.status_code == 400
    assert sorted(e["source"]["pointer"] for e in unknown.json()["errors"]) == ["/NoSuchAttribute", f"/{tier}"]
    assert requests.put(f"{shop.base_url}/v2/audience_customers/999999/attributes", headers=headers,
                        json={tier: "x"}).status_code == 404
    assert profile_attributes(shop, "m2") == {tier: "gold"}


def test_members_imported_from_csv_replace_the_old_ones_and_are_exported(shop):
    vip = shop.api.create_audience_v2(NewAudience(name="imported VIPs"))
    shop.campaign([{"title": "5 off for VIPs", "condition": ["profileInAudience", vip.id],
                    "effects": [["setDiscount", "VIP", 5]]}], features=())
    assert profile_audiences(shop, "old-member", adds=[vip.id], deletes=[]) == [vip.id]
    path = f"/v1/audiences/{vip.id}/memberships"

    def upload(csv):
        return shop.admin.http.post(shop.admin.url(path + "/import"), files={"upFile": ("members.csv", csv, "text/csv")})

    bad = upload("profileintegrationid\nann\n\"bad\x01id\"\n")
    assert bad.status_code == 400 and "line 3, profileintegrationid" in bad.json()["message"]
    assert shop.admin.http.get(shop.admin.url(path + "/export")).text == "profileintegrationid\nold-member\n"

    imported = upload("profileintegrationid\nann\nbob\nann\n")
    assert imported.status_code == 200, imported.text
    assert imported.json()["amount"] == 2
    exported = shop.admin.http.get(shop.admin.url(path + "/export"))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert exported.text == "profileintegrationid\nann\nbob\n"
    # The import replaced the members: ann gets the VIP discount, the old member no longer does.
    discount = [p["value"] for p in effects_of(shop.session("ann", profileId="ann", cartItems=TUTORIAL_CART), "setDiscount")]
    assert discount == [5]
    assert effects_of(shop.session("old", profileId="old-member", cartItems=TUTORIAL_CART), "setDiscount") == []
    assert shop.admin.http.post(shop.admin.url("/v1/audiences/999999/memberships/import"),
                                files={"upFile": ("m.csv", "profileintegrationid\nx\n", "text/csv")}).status_code == 404
