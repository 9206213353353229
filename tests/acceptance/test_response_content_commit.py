"""`responseContent` through SDK 26.2: what the answer shows of stored state comes with the commit, so it shows the
counters this very request moved (a dry run: the state it evaluated against)."""
import uuid

import pytest
import talon_one
from talon_one.models import CustomerProfileIntegrationRequestV2, NewAudience, ProfileAudiencesChanges

from conftest import integration_client
from test_promotions import Shop, TUTORIAL_CART, TWENTY_PERCENT

CONTENT = ["triggeredCampaigns", "coupons", "customerProfile", "customerSession"]


@pytest.fixture
def shop(admin, base_url):
    shop = Shop(admin, base_url)
    shop.api = integration_client(base_url, shop.key)
    # Audiences belong to the account, which other tests share: a profile of its own keeps their memberships out.
    shop.profile_id = f"ann-{uuid.uuid4().hex[:8]}"
    return shop


def update(shop, session_id, dry=False, **fields):
    session = talon_one.NewCustomerSessionV2(
        profile_id=shop.profile_id, coupon_codes=["ANSWER-1"], cart_items=[talon_one.CartItem(**item) for item in TUTORIAL_CART],
        **fields)
    return shop.api.update_customer_session_v2(
        session_id, talon_one.IntegrationRequest(customer_session=session, response_content=CONTENT), dry=dry)


def test_a_close_answers_the_counters_it_moved(shop):
    campaign = shop.campaign([TWENTY_PERCENT], name="answered")
    shop.coupons(campaign, couponPattern="ANSWER-1")
    vip = shop.api.create_audience_v2(NewAudience(name="VIP"))
    shop.api.update_customer_profile_v2(shop.profile_id, CustomerProfileIntegrationRequestV2(
        attributes={}, audiences_changes=ProfileAudiencesChanges(adds=[vip.id], deletes=[])))

    for closes in (1, 2):
        state = update(shop, f"close-{closes}", state="closed")
        assert state.customer_session.state == "closed"
        # This close's redemption is counted in the answer: the campaign, the coupon and the profile.
        assert [(c.id, c.coupon_redemption_count) for c in state.triggered_campaigns] == [(campaign.id, closes)]
        assert [(c.value, c.usage_counter, c.profile_redemption_count) for c in state.coupons] == [
            ("ANSWER-1", closes, closes)]
        assert state.customer_profile.closed_sessions == closes
        assert float(state.customer_profile.total_sales) == pytest.approx(123 * closes)
        assert [m.id for m in state.customer_profile.audience_memberships] == [vip.id]
    # The answers agree with what is stored.
    assert shop.fetch_campaign(campaign).coupon_redemption_count == 2
    assert shop.coupon(campaign, "ANSWER-1").usage_counter == 2


def test_an_open_session_and_a_dry_close_answer_the_stored_counters(shop):
    campaign = shop.campaign([TWENTY_PERCENT], name="dry")
    shop.coupons(campaign, couponPattern="ANSWER-1")
    update(shop, "closed-before", state="closed")

    state = update(shop, "still-open")
    assert [(c.id, c.coupon_redemption_count) for c in state.triggered_campaigns] == [(campaign.id, 1)]
    assert [(c.usage_counter, c.profile_redemption_count) for c in state.coupons] == [(1, 1)]

    # A dry close reads the answer with its snapshot: nothing moved, and nothing is stored.
    dry = update(shop, "dry-close", dry=True, state="closed")
    assert [e.effect_type for e in dry.effects] == ["acceptCoupon", "setDiscount"]
    assert [(c.id, c.coupon_redemption_count) for c in dry.triggered_campaigns] == [(campaign.id, 1)]
    assert [(c.usage_counter, c.profile_redemption_count) for c in dry.coupons] == [(1, 1)]
    assert dry.customer_profile.closed_sessions == 1
    assert shop.fetch_campaign(campaign).coupon_redemption_count == 1


def test_a_profile_update_answers_its_audiences_and_triggered_campaigns(shop):
    campaign = shop.campaign([{"title": "a coupon per update", "condition": ["=", 1, 1],
                               "effects": [["createCoupon", ""]]}], name="on profiles")
    vip = shop.api.create_audience_v2(NewAudience(name="VIP"))
    request = CustomerProfileIntegrationRequestV2(
        attributes={}, response_content=["customerProfile", "triggeredCampaigns"],
        audiences_changes=ProfileAudiencesChanges(adds=[vip.id], deletes=[]))
    for dry, created in ((True, 0), (False, 1)):
        answer = shop.api.update_customer_profile_v2("bea", request, run_rule_engine=True, dry=dry)
        # The campaign as this update left it: a dry run counted nothing, the update its coupon.
        assert [(c.id, c.coupon_creation_count) for c in answer.triggered_campaigns] == [(campaign.id, created)]
        # A dry run changes no membership and answers the stored ones; the update answers its own change.
        assert [m.id for m in answer.customer_profile.audience_memberships or []] == ([] if dry else [vip.id])
