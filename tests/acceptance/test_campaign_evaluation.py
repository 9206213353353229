"""Issue 5: the campaign evaluation tree decides which campaigns run (stackable, exclusive, best discount)."""
import pytest
from talon_one.models import CampaignSet, ErrorResponseWithStatus

from test_promotions import TUTORIAL_CART, Shop, discounts, reasons


def fixed(value):
    return [{"title": f"{value} off", "condition": ["=", 1, 1], "effects": [["setDiscount", f"{value} off", value]]}]


def leaf(campaign):
    return {"type": "CAMPAIGN", "campaignId": campaign.id}


def group(mode, *elements, name="group"):
    return {"type": "SET", "name": name, "operator": "ALL", "elements": list(elements), "groupId": 0, "locked": False,
            "evaluationMode": mode, "evaluationScope": "session"}


@pytest.fixture
def shop(admin, base_url):
    return Shop(admin, base_url)


def put_set(shop, tree):
    return shop.admin.http.put(shop.admin.url(shop.prefix + "/campaign_set"),
                               json={"applicationId": shop.application["id"], "version": 1, "set": tree})


def test_evaluation_tree_decides_which_campaigns_apply(shop):
    five, nine, seven = (shop.campaign(fixed(v), features=(), name=f"{v} off") for v in (5, 9, 7))

    body = shop.admin.http.get(shop.admin.url(shop.prefix + "/campaign_set")).json()
    implicit = CampaignSet.from_dict(body)  # the SDK's model validates; its nodes keep only their type
    assert implicit.version == 1 and implicit.set.evaluation_mode == "stackable"
    assert [e["campaignId"] for e in body["set"]["elements"]] == [five.id, nine.id, seven.id]
    assert sorted(discounts(shop.session("s-all", cartItems=TUTORIAL_CART))) == [5, 7, 9]

    response = put_set(shop, group("highestDiscount", leaf(five), leaf(nine), leaf(seven), name="root"))
    assert response.status_code == 200, response.text
    saved = CampaignSet.from_dict(response.json())
    assert saved.version == 2 and saved.set.evaluation_mode == "highestDiscount"
    assert discounts(shop.session("s-highest", cartItems=TUTORIAL_CART)) == [9]

    put_set(shop, group("lowestDiscount", leaf(five), leaf(nine), leaf(seven)))
    assert discounts(shop.session("s-lowest", cartItems=TUTORIAL_CART)) == [5]

    # Exclusive group first, then the rest stacks: the 9 wins its group, the 5 runs after it.
    response = put_set(shop, group("stackable", group("listOrder", leaf(nine), leaf(seven), name="exclusive"), leaf(five)))
    tree = CampaignSet.from_dict(response.json())
    assert tree.version == 4 and response.json()["set"]["elements"][0]["evaluationMode"] == "listOrder"
    assert discounts(shop.session("s-exclusive", cartItems=TUTORIAL_CART)) == [9, 5]
    assert CampaignSet.from_dict(shop.admin.http.get(shop.admin.url(shop.prefix + "/campaign_set")).json()).version == 4


def test_coupon_of_a_campaign_exclusivity_skipped_is_refused(shop):
    first = shop.campaign(fixed(5), features=(), name="always")
    with_coupon = shop.campaign([{"title": "20%", "condition": ["couponValid"],
                                  "effects": [["setDiscount", "20%", ["*", [".", "Session", "Total"], 0.2]]]}])
    shop.coupons(with_coupon, couponPattern="EXCL-1")
    assert put_set(shop, group("listOrder", leaf(first), leaf(with_coupon))).status_code == 200
    effects = shop.session("s-coupon", cartItems=TUTORIAL_CART, couponCodes=["EXCL-1"])
    assert discounts(effects) == [5]
    assert reasons(effects) == ["CouponPartOfNotTriggeredCampaign"]
    [rejection] = [e for e in effects if e["effectType"] == "rejectCoupon"]
    assert rejection["props"]["campaignExclusionReason"] == "CampaignIsNotFirst"
    # In a highest-discount group the coupon's campaign lost to a bigger discount.
    assert put_set(shop, group("highestDiscount", leaf(with_coupon), leaf(first))).status_code == 200
    small_cart = [dict(TUTORIAL_CART[0], price=10)]  # 20 % of 10 is 2, less than 5
    effects = shop.session("s-coupon-2", cartItems=small_cart, couponCodes=["EXCL-1"])
    assert discounts(effects) == [5]
    [rejection] = [e for e in effects if e["effectType"] == "rejectCoupon"]
    assert rejection["props"]["campaignExclusionReason"] == "CampaignGaveLowerDiscount"


@pytest.mark.parametrize("tree_of, pointer", [
    (lambda a, other: group("listOrder", leaf(a), {"type": "CAMPAIGN", "campaignId": other}), "/set/elements/1/campaignId"),
    (lambda a, other: group("listOrder", leaf(a), leaf(a)), "/set/elements/1/campaignId"),
    (lambda a, other: group("fastest", leaf(a)), "/set/evaluationMode"),
    (lambda a, other: group("stackable", group("stackable", leaf(a), **{}) | {"evaluationScope": "cartItem"}), "/set/elements/0/evaluationScope"),
    (lambda a, other: {"type": "SET", "evaluationMode": "stackable"}, "/set/elements"),
])
def test_bad_trees_are_refused_naming_the_node(shop, admin, tree_of, pointer):
    campaign = shop.campaign(fixed(1), features=(), name="one")
    other_shop = admin.create_application("Other")
    other = admin.http.post(admin.url(f"/v1/applications/{other_shop['id']}/campaigns"),
                            json={"name": "elsewhere", "state": "enabled", "tags": [], "features": [], "limits": []}).json()
    response = put_set(shop, tree_of(campaign, other["id"]))
    assert response.status_code == 400, response.text
    error = ErrorResponseWithStatus.from_dict(response.json())
    assert error.errors[0].source.pointer == pointer, response.text
    # Nothing was saved.
    assert shop.admin.http.get(shop.admin.url(shop.prefix + "/campaign_set")).json()["version"] == 1
