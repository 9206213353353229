"""Referrals end to end through SDK 26.2: an advocate's code, the friend's reward, the advocate's reward on close,
every refusal with the spec's reason, limits under concurrency, and a cancel that gives the code back."""
import concurrent.futures

import pytest
import requests
from talon_one.models import IntegrationRequest, NewCustomerSessionV2, NewReferral, NewReferralsForMultipleAdvocates
from talon_one.models import CustomerProfileIntegrationRequestV2, UpdateReferral

from conftest import integration_client
from test_promotions import Shop, TUTORIAL_CART

FRIEND_REWARD = {"title": "10 off for a referred friend", "condition": ["referralValid"],
                 "effects": [["setDiscount", "Friend reward", 10]]}
ADVOCATE_REWARD = {"title": "a coupon for the advocate when the friend buys",
                   "condition": ["and", ["referralValid"], ["=", [".", "Session", "State"], "closed"]],
                   "effects": [["createCoupon", [".", "Referral", "AdvocateProfileIntegrationId"]]]}


@pytest.fixture
def shop(admin, base_url, mgmt_api):
    shop = Shop(admin, base_url)
    shop.api = integration_client(base_url, shop.key)
    shop.admin_api = mgmt_api
    shop.referral_campaign = shop.campaign([FRIEND_REWARD, ADVOCATE_REWARD], features=("referrals",), name="friends")
    for advocate in ("advocate-1", "advocate-2"):
        shop.api.update_customer_profile_v2(advocate, CustomerProfileIntegrationRequestV2(attributes={}))
    return shop


def referral_effects(effects, kind):
    return [e["props"] for e in effects if e["effectType"] == kind]


def rejection(effects):
    return [p["rejectionReason"] for p in referral_effects(effects, "rejectReferral")]


def put_session(shop, session_id, **customer_session):
    response = requests.put(f"{shop.base_url}/v2/customer_sessions/{session_id}",
                            json={"customerSession": customer_session, "responseContent": ["referral"]},
                            headers={"Authorization": f"ApiKey-v1 {shop.key}"})
    assert response.status_code == 200, response.text
    return response.json()


def test_advocate_brings_a_friend_and_both_are_rewarded(shop):
    campaign = shop.referral_campaign
    referral = shop.api.create_referral(NewReferral(campaign_id=campaign.id, advocate_profile_integration_id="advocate-1",
                                                    usage_limit=1))
    assert referral.usage_limit == 1 and referral.usage_counter == 0 and referral.code.startswith("REF-")
    code = referral.code

    # The advocate cannot refer himself.
    own = put_session(shop, "own", profileId="advocate-1", cartItems=TUTORIAL_CART, referralCode=code)
    assert rejection(own["effects"]) == ["ReferralRecipientIdSameAsAdvocate"]
    assert not [e for e in own["effects"] if e["effectType"] == "setDiscount"]

    # The friend's first session gets the friend's reward; the referral comes back with the answer.
    opened = put_session(shop, "friend-1-cart", profileId="friend-1", cartItems=TUTORIAL_CART, referralCode=code)
    assert referral_effects(opened["effects"], "acceptReferral") == [{"value": code}]
    assert [e["props"]["value"] for e in opened["effects"] if e["effectType"] == "setDiscount"] == [10]
    assert opened["referral"]["code"] == code and opened["referral"]["advocateProfileIntegrationId"] == "advocate-1"
    assert opened["createdCoupons"] == []

    # On close the advocate gets his reward: a coupon bound to his profile, returned in full.
    closed = put_session(shop, "friend-1-cart", state="closed")
    created = [p for p in referral_effects(closed["effects"], "couponCreated")]
    assert [c["profileId"] for c in created] == ["advocate-1"]
    [coupon] = closed["createdCoupons"]
    assert coupon["recipientIntegrationId"] == "advocate-1" and coupon["value"] == created[0]["value"]
    # The answer's referral is as the close left it: used once, by this friend.
    assert closed["referral"]["usageCounter"] == 1 and closed["referral"]["referredCustomers"] == ["friend-1"]

    # The code is used up: the next friend hears why.
    late = put_session(shop, "friend-2-cart", profileId="friend-2", cartItems=TUTORIAL_CART, referralCode=code)
    assert rejection(late["effects"]) == ["ReferralLimitReached"]

    # The Management API shows the use and the friend.
    [listed] = shop.admin_api.get_referrals_without_total_count(shop.application["id"], campaign.id).data
    assert listed.code == code and listed.usage_counter == 1
    friends = shop.admin_api.get_application_customer_friends(shop.application["id"], "advocate-1").data
    assert [(f.friend_integration_id, f.code, f.session_id) for f in friends] == [("friend-1", code, "friend-1-cart")]

    # A cancel gives the code back (rollbackReferral) and the next friend may use it.
    cancelled = put_session(shop, "friend-1-cart", state="cancelled")
    assert referral_effects(cancelled["effects"], "rollbackReferral") == [{"value": code}]
    [listed] = shop.admin_api.get_referrals_without_total_count(shop.application["id"], campaign.id).data
    assert listed.usage_counter == 0
    assert shop.admin_api.get_application_customer_friends(shop.application["id"], "advocate-1").data == []
    again = put_session(shop, "friend-2-cart", profileId="friend-2", cartItems=TUTORIAL_CART, referralCode=code)
    assert rejection(again["effects"]) == [] and referral_effects(again["effects"], "acceptReferral")


def test_every_refusal_has_the_specs_reason(shop, base_url, admin):
    campaign = shop.referral_campaign
    api = shop.api

    def code(**fields):
        return api.create_referral(NewReferral(campaign_id=campaign.id, **fields)).code

    def reasons_for(session_id, referral_code, profile="friend"):
        return rejection(put_session(shop, session_id, profileId=profile, cartItems=TUTORIAL_CART,
                                     referralCode=referral_code)["effects"])

    assert reasons_for("unknown", "NO-SUCH-CODE") == ["ReferralNotFound"]
    assert reasons_for("expired", code(advocate_profile_integration_id="advocate-1",
                                       start_date="2020-01-01T00:00:00Z", expiry_date="2020-02-01T00:00:00Z")) \
        == ["ReferralExpired"]
    assert reasons_for("future", code(advocate_profile_integration_id="advocate-1",
                                      start_date="2099-01-01T00:00:00Z")) == ["ReferralStartDateInFuture"]
    assert reasons_for("recipient", code(advocate_profile_integration_id="advocate-1",
                                         friend_profile_integration_id="someone-else")) \
        == ["ReferralRecipientDoesNotMatch"]
    assert reasons_for("no-advocate", code(advocate_profile_integration_id="nobody-yet")) == ["AdvocateNotFound"]

    # A friend is referred once per campaign: a second advocate's code is refused after the first close.
    first, second = code(advocate_profile_integration_id="advocate-1"), code(advocate_profile_integration_id="advocate-2")
    put_session(shop, "once-1", profileId="friend-once", cartItems=TUTORIAL_CART, referralCode=first, state="closed")
    assert reasons_for("once-2", second, profile="friend-once") == ["ReferralCustomerAlreadyReferred"]

    # A campaign that is not running, and one whose rules do not use the code.
    paused = code(advocate_profile_integration_id="advocate-1")
    response = admin.http.put(admin.url(f"{shop.prefix}/campaigns/{campaign.id}"),
                              json={"name": "friends", "state": "disabled", "tags": [], "features": ["referrals"],
                                    "limits": []})
    assert response.status_code == 200, response.text
    assert reasons_for("paused", paused) == ["ReferralPartOfNotRunningCampaign"]
    other = shop.campaign([{"title": "no referral rule", "condition": ["=", 1, 1],
                            "effects": [["setDiscount", "plain", 1]]}],
                          features=("referrals",), name="other")
    unused = api.create_referral(NewReferral(campaign_id=other.id, advocate_profile_integration_id="advocate-1")).code
    assert reasons_for("unused", unused) == ["ReferralRejectedByCondition"]


def test_a_single_use_code_is_redeemed_once_under_concurrent_closes(shop):
    referral = shop.api.create_referral(NewReferral(campaign_id=shop.referral_campaign.id,
                                                    advocate_profile_integration_id="advocate-1", usage_limit=1))

    def close(index):
        return put_session(shop, f"race-{index}", profileId=f"racer-{index}", cartItems=TUTORIAL_CART,
                           referralCode=referral.code, state="closed")["effects"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(close, range(8)))
    assert sum(bool(referral_effects(effects, "acceptReferral")) for effects in results) == 1
    assert sorted(r for effects in results for r in rejection(effects)) == ["ReferralLimitReached"] * 7
    [listed] = shop.admin_api.get_referrals_without_total_count(shop.application["id"],
                                                                shop.referral_campaign.id).data
    assert listed.usage_counter == 1


def test_referrals_for_many_advocates_and_bad_input(shop):
    campaign = shop.referral_campaign
    created = shop.api.create_referrals_for_multiple_advocates(
        NewReferralsForMultipleAdvocates(campaign_id=campaign.id, advocate_profile_integration_ids=["a", "b", "c"],
                                         usage_limit=2, referral_pattern="FRIEND-####"), silent="no")
    assert sorted(r.advocate_profile_integration_id for r in created.data) == ["a", "b", "c"]
    assert all(r.code.startswith("FRIEND-") and r.usage_limit == 2 for r in created.data)
    assert len({r.code for r in created.data}) == 3

    # Update and delete through the Management API.
    target = created.data[0]
    updated = shop.admin_api.update_referral(shop.application["id"], campaign.id, str(target.id),
                                             UpdateReferral(usage_limit=5, friend_profile_integration_id="pal"))
    assert updated.usage_limit == 5 and updated.friend_profile_integration_id == "pal"
    shop.admin_api.delete_referral(shop.application["id"], campaign.id, str(target.id))
    left = shop.admin_api.get_referrals_without_total_count(shop.application["id"], campaign.id).data
    assert sorted(r.id for r in left) == sorted(r.id for r in created.data[1:])

    # The export has the spec's columns, filtered by campaign and validity.
    exported = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/export_referrals"),
                                   params={"campaignId": campaign.id, "valid": "validNow"})
    assert exported.status_code == 200, exported.text
    lines = exported.text.splitlines()
    assert lines[0] == "code,advocateprofileintegrationid,startdate,expirydate,limitval,attributes"
    assert sorted(line.split(",")[1] for line in lines[1:]) == ["b", "c"]
    assert all(line.endswith(",2,{}") for line in lines[1:])
    expired = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/export_referrals"), params={"valid": "expired"})
    assert expired.text.splitlines()[1:] == []
    bad = shop.admin.http.get(shop.admin.url(f"{shop.prefix}/export_referrals"), params={"valid": "soon"})
    assert bad.status_code == 400, bad.text

    headers = {"Authorization": f"ApiKey-v1 {shop.key}"}
    coupons_only = shop.campaign([], features=("coupons",), name="coupons only")
    for body, pointer in [
        ({"campaignId": coupons_only.id, "advocateProfileIntegrationId": "a"}, "/campaignId"),
        ({"campaignId": 999999, "advocateProfileIntegrationId": "a"}, "/campaignId"),
        ({"campaignId": campaign.id, "advocateProfileIntegrationId": ""}, "/advocateProfileIntegrationId"),
        ({"campaignId": campaign.id, "advocateProfileIntegrationId": "a", "usageLimit": -1}, "/usageLimit"),
    ]:
        response = requests.post(f"{shop.base_url}/v1/referrals", json=body, headers=headers)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["source"]["pointer"] == pointer


def import_referrals(shop, campaign_id, csv):
    return shop.admin.http.post(
        shop.admin.url(f"/v1/applications/{shop.application['id']}/campaigns/{campaign_id}/import_referrals"),
        files={"upFile": ("referrals.csv", csv, "text/csv")})


def test_imported_referrals_work_and_a_bad_row_imports_nothing(shop):
    campaign = shop.referral_campaign
    header = "code,startdate,expirydate,advocateprofileintegrationid,limitval,attributes\n"
    bad = import_referrals(shop, campaign.id, header + "IMP-GOOD-1,,,advocate-1,,\n"
                           + "IMP-BAD-2,yesterday,,advocate-2,1,\n")
    assert bad.status_code == 400, bad.text
    assert "line 3, startdate" in bad.json()["message"]
    twice = import_referrals(shop, campaign.id, header + "IMP-TWICE,,,advocate-1,,\nIMP-TWICE,,,advocate-2,,\n")
    assert twice.status_code == 400 and "line 3, code" in twice.json()["message"]
    listed = shop.admin_api.get_referrals_without_total_count(shop.application["id"], campaign.id, code="IMP-")
    assert listed.data == []

    imported = import_referrals(shop, campaign.id, header
                                + 'IMP-ONE,2020-01-01T00:00:00Z,2099-01-01T00:00:00Z,advocate-1,,"{""channel"": ""mail""}"\n'
                                + "IMP-MANY,,,advocate-2,0,\n")
    assert imported.status_code == 200, imported.text
    assert imported.json()["amount"] == 2 and imported.json()["entity"] == "Referral"
    listed = shop.admin_api.get_referrals_without_total_count(shop.application["id"], campaign.id, code="IMP-")
    by_code = {r.code: r for r in listed.data}
    assert sorted(by_code) == ["IMP-MANY", "IMP-ONE"]
    assert by_code["IMP-ONE"].usage_limit == 1 and by_code["IMP-ONE"].attributes == {"channel": "mail"}
    assert by_code["IMP-MANY"].usage_limit == 0
    assert by_code["IMP-ONE"].advocate_profile_integration_id == "advocate-1"

    # An imported code is a referral like any other: the friend's reward, then its limit of one.
    first = put_session(shop, "imp-friend", profileId="imp-friend-1", cartItems=TUTORIAL_CART, referralCode="IMP-ONE",
                        state="closed")
    assert referral_effects(first["effects"], "acceptReferral") and rejection(first["effects"]) == []
    again = put_session(shop, "imp-friend-2", profileId="imp-friend-2", cartItems=TUTORIAL_CART, referralCode="IMP-ONE")
    assert rejection(again["effects"]) == ["ReferralLimitReached"]

    # A code the application has already fails the whole import.
    taken = import_referrals(shop, campaign.id, header + "IMP-NEW,,,advocate-1,,\nIMP-ONE,,,advocate-1,,\n")
    assert taken.status_code == 409, taken.text
    assert shop.admin_api.get_referrals_without_total_count(shop.application["id"], campaign.id, code="IMP-NEW").data == []
