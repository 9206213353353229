"""Campaign management through the SDK: listing and filters, update, copy, delete, rulesets, groups."""
import datetime

import talon_one
from talon_one.models import Campaign, CampaignGroup
from talon_one.rest import ApiException

from test_promotions import TWENTY_PERCENT, Shop


def test_campaigns_through_the_sdk(admin, base_url, mgmt_api):
    shop = Shop(admin, base_url)
    first = shop.campaign([TWENTY_PERCENT], name="Winter sale", tags=["winter", "sale"])
    second = shop.campaign([TWENTY_PERCENT], name="Summer", tags=["summer"])
    app_id = shop.application["id"]
    listed = mgmt_api.get_campaigns(app_id)
    assert [c.id for c in listed.data] == [first.id, second.id] and listed.total_result_size == 2
    assert [c.id for c in mgmt_api.get_campaigns(app_id, tags="winter").data] == [first.id]
    assert [c.id for c in mgmt_api.get_campaigns(app_id, name="summ").data] == [second.id]
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    assert mgmt_api.get_campaigns(app_id, created_after=future).data == []
    fetched = mgmt_api.get_campaign(app_id, first.id)
    assert fetched.active_ruleset_id is not None and fetched.frontend_state == "running"
    # Not through the SDK: talon-one-sdk 26.2 types Rule.effects as a list of objects, while the spec (and
    # every real ruleset) has a list of Talang arrays; the SDK cannot read any ruleset with effects.
    rulesets = admin.http.get(admin.url(f"{shop.prefix}/campaigns/{first.id}/rulesets")).json()
    assert rulesets["totalResultSize"] == 1 and rulesets["data"][0]["rules"] == [TWENTY_PERCENT]

    update = talon_one.UpdateCampaign(name="Winter sale", state="disabled", tags=["winter"], features=["coupons"],
                                      limits=[])
    disabled = mgmt_api.update_campaign(app_id, first.id, update)
    assert disabled.state == "disabled" and disabled.frontend_state == "disabled"
    mgmt_api.delete_campaign(app_id, second.id)
    try:
        mgmt_api.get_campaign(app_id, second.id)
        raise AssertionError("a deleted campaign must be gone")
    except ApiException as error:
        assert error.status == 404


def test_copy_campaign_to_another_application(admin, base_url):
    shop = Shop(admin, base_url)
    other = admin.create_application("copy target")
    source = shop.campaign([TWENTY_PERCENT], name="Original")
    response = admin.http.post(admin.url(f"{shop.prefix}/campaigns/{source.id}/copy"),
                               json={"applicationIds": [other["id"]], "name": "Copied"})
    assert response.status_code == 200, response.text
    copy = Campaign.from_dict(response.json()["data"][0])
    assert copy.application_id == other["id"] and copy.name == "Copied" and copy.state == "disabled"
    rulesets = admin.http.get(admin.url(f"/v1/applications/{other['id']}/campaigns/{copy.id}/rulesets")).json()
    assert rulesets["data"][0]["rules"] == [TWENTY_PERCENT]


def test_campaign_groups(admin):
    created = admin.http.post(admin.url("/v1/campaign_groups"), json={"name": "EU", "description": "Europe"})
    assert created.status_code == 201, created.text
    group = CampaignGroup.from_dict(created.json())
    listed = admin.http.get(admin.url("/v1/campaign_groups")).json()
    assert any(item["id"] == group.id for item in listed["data"])
    renamed = admin.http.put(admin.url(f"/v1/campaign_groups/{group.id}"), json={"name": "Europe"})
    assert CampaignGroup.from_dict(renamed.json()).name == "Europe"
    assert admin.http.delete(admin.url(f"/v1/campaign_groups/{group.id}")).status_code == 204
    assert admin.http.get(admin.url(f"/v1/campaign_groups/{group.id}")).status_code == 404
    assert admin.http.post(admin.url("/v1/campaign_groups"), json={"name": ""}).status_code == 400


def test_campaign_analytics_add_up_closes_and_cancels(admin, base_url, mgmt_api):
    from test_promotions import TUTORIAL_CART
    shop = Shop(admin, base_url)
    campaign = shop.campaign([TWENTY_PERCENT], name="measured")
    codes = [c.value for c in shop.coupons(campaign, numberOfCoupons=3, couponPattern="AN-#####")]
    for index in range(2):
        shop.session(f"an-{index}", cartItems=TUTORIAL_CART, couponCodes=[codes[index]], state="closed")
    shop.session("an-0", state="cancelled")
    shop.session("an-open", cartItems=TUTORIAL_CART, couponCodes=[codes[2]])  # open sessions count for nothing
    now = datetime.datetime.now(datetime.timezone.utc)
    analytics = mgmt_api.get_campaign_analytics(shop.application["id"], campaign.id,
                                                now - datetime.timedelta(days=1), now + datetime.timedelta(days=1),
                                                granularity="1 day")
    today = [row for row in analytics.data if row.coupon_redemptions or row.campaign_refund]
    assert len(today) == 1
    row = today[0]
    assert (row.coupon_redemptions, row.coupon_rolledback_redemptions) == (2, 1)
    assert (row.campaign_revenue, row.campaign_refund) == (246, 123)
    assert (row.campaign_discount_costs, row.campaign_refunded_discounts) == (49.2, 24.6)
    assert row.coupons_created == 3
    assert analytics.data[-1].total_coupon_redemptions == 2
