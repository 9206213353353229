"""The customer inventory through SDK 26.2: one call with the profile (and its audiences), the coupons meant for
the customer and the referral codes it advocates, each part behind its query switch."""
import requests
from talon_one.models import (CustomerProfileIntegrationRequestV2, NewAudience, NewReferral, ProfileAudiencesChanges)

from conftest import integration_client
from test_promotions import Shop, TUTORIAL_CART, TWENTY_PERCENT
from test_referrals import ADVOCATE_REWARD, FRIEND_REWARD


def test_the_inventory_lists_coupons_referrals_and_audiences(admin, base_url):
    shop = Shop(admin, base_url)
    api = integration_client(base_url, shop.key)
    campaign = shop.campaign([FRIEND_REWARD, ADVOCATE_REWARD, TWENTY_PERCENT], features=("referrals", "coupons"), name="friends")
    loyal = api.create_audience_v2(NewAudience(name="Loyal customers"))
    api.update_customer_profile_v2("advocate", CustomerProfileIntegrationRequestV2(
        attributes={}, audiences_changes=ProfileAudiencesChanges(adds=[loyal.id], deletes=[])))
    referral = api.create_referral(NewReferral(campaign_id=campaign.id, advocate_profile_integration_id="advocate"))
    unused = api.create_referral(NewReferral(campaign_id=campaign.id, advocate_profile_integration_id="advocate"))
    effects = shop.session("friend-cart", profileId="friend", cartItems=TUTORIAL_CART, referralCode=referral.code,
                           state="closed")
    [reward] = [e["props"]["value"] for e in effects if e["effectType"] == "couponCreated"]
    # A coupon made for the advocate by hand, already used up.
    [used] = shop.coupons(campaign, usageLimit=1, recipientIntegrationId="advocate")
    shop.session("advocate-cart", profileId="advocate", cartItems=TUTORIAL_CART, couponCodes=[used.value],
                 state="closed")

    inventory = api.get_customer_inventory("advocate", profile=True, coupons=True, referrals=True)
    assert inventory.profile.integration_id == "advocate"
    assert [(a.id, a.name) for a in inventory.profile.audience_memberships] == [(loyal.id, "Loyal customers")]
    states = {c.value: (c.state, c.profile_redemption_count) for c in inventory.coupons}
    assert states == {reward: ("active", 0), used.value: ("used", 1)}
    friends = {r.code: r.referred_customers for r in inventory.referrals}
    assert friends == {referral.code: ["friend"], unused.code: []}

    # Each part only when asked; an unknown customer has an empty inventory.
    bare = api.get_customer_inventory("advocate")
    assert bare.profile is None and bare.coupons is None and bare.referrals is None
    empty = api.get_customer_inventory("nobody", profile=True, coupons=True, referrals=True)
    assert empty.profile is None and empty.coupons == [] and empty.referrals == []
    response = requests.get(f"{base_url}/v1/customer_profiles/advocate/inventory", params={"coupons": "maybe"},
                            headers={"Authorization": f"ApiKey-v1 {shop.key}"})
    assert response.status_code == 400, response.text
