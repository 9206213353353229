"""Achievements through SDK 26.2: a campaign's achievements (create, read, list, update, delete, export), progress
moved by `increaseAchievementProgress` when sessions close, a reward on the completing session through
`achievementJustCompleted`, and a cancel giving the progress back (`rollbackIncreasedAchievementProgress`)."""
import csv
import io

import pytest
from talon_one import CreateAchievement, UpdateAchievement
from talon_one.models import IntegrationRequest, NewCustomerSessionV2
from talon_one.rest import ApiException

from test_audiences import shop  # noqa: F401  (an application with both SDK clients)
from test_promotions import TUTORIAL_CART

COUNTING_RULES = [
    {"title": "count orders", "condition": ["and", True], "effects": [["increaseAchievementProgress", "ThreeOrders", 1]]},
    {"title": "reward the third", "condition": ["achievementJustCompleted", "ThreeOrders"],
     "effects": [["setDiscount", "Third order", 5]]},
]


def session(shop, session_id, profile_id, state):
    return shop.api.update_customer_session_v2(session_id, IntegrationRequest(
        customer_session=NewCustomerSessionV2(profile_id=profile_id, cart_items=TUTORIAL_CART, state=state)))


def effects(answer, kind):
    return [effect.props for effect in answer.effects if effect.effect_type == kind]


def progress_of(shop, profile_id):
    [entry] = shop.api.get_customer_achievements(profile_id).data
    return entry.current_progress


def test_an_achievement_completed_over_three_closes_rewards_the_third_and_rolls_back_on_cancel(shop):
    campaign = shop.campaign(COUNTING_RULES, features=("achievements",))
    app_id = shop.application["id"]
    achievement = shop.admin_api.create_achievement(app_id, campaign.id, CreateAchievement(
        name="ThreeOrders", title="Three orders", description="5 off the third order", target=3,
        allow_rollback_after_completion=True))

    for number in (1, 2, 3):
        opened = session(shop, f"order-{number}", "alice", "open")
        [tentative] = effects(opened, "increaseAchievementProgress")
        assert (tentative["value"], tentative["delta"], tentative["isJustCompleted"]) == (number, 1, number == 3)
        assert "progressTrackerId" not in tentative  # nothing is stored while the session is open
        closed = session(shop, f"order-{number}", "alice", "closed")
        [stored] = effects(closed, "increaseAchievementProgress")
        assert stored["achievementId"] == achievement.id and stored["achievementName"] == "ThreeOrders"
        assert (stored["value"], stored["target"], stored["isJustCompleted"]) == (number, 3, number == 3)
        assert stored["progressTrackerId"] > 0
        discounts = effects(closed, "setDiscount")
        assert discounts == ([{"name": "Third order", "value": 5, "scope": "sessionTotal"}] if number == 3 else [])
        current = progress_of(shop, "alice")
        assert (current.progress, current.status) == (number, "completed" if number == 3 else "inprogress")

    cancelled = session(shop, "order-3", "alice", "cancelled")
    [rollback] = effects(cancelled, "rollbackIncreasedAchievementProgress")
    assert rollback == {"achievementId": achievement.id, "achievementName": "ThreeOrders",
                        "progressTrackerId": stored["progressTrackerId"], "decreaseProgressBy": 1,
                        "currentProgress": 2, "target": 3}
    current = progress_of(shop, "alice")
    assert (current.progress, current.status, current.completion_date) == (2, "inprogress", None)

    history = shop.api.get_customer_achievement_history("alice", achievement.id)
    assert history.total_result_size == 1 and [(h.progress, h.status) for h in history.data] == [(2, "inprogress")]
    assert shop.api.get_customer_achievement_history("alice", achievement.id, progress_status=["completed"]).data == []
    managed = shop.admin_api.get_customer_profile_achievement_progress(app_id, "alice")
    assert [(p.achievement_id, p.progress, p.status) for p in managed.data] == [(achievement.id, 2, "inprogress")]
    assert managed.has_more is False
    # Once customers made progress, what it is measured against stays; the name never changes.
    url = shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/achievements/{achievement.id}")
    for body, pointer in (({"target": 5}, "/target"), ({"name": "FourOrders"}, "/name")):
        refused = shop.admin.http.put(url, json=body)
        assert refused.status_code == 400 and refused.json()["errors"][0]["source"]["pointer"] == pointer
    assert shop.admin.http.put(url, json={"title": "3 orders"}).json()["title"] == "3 orders"
    inventory = shop.api.get_customer_inventory("alice", achievements=True)
    assert [(a.name, a.progress, a.target) for a in inventory.achievements] == [("ThreeOrders", 2, 3)]

    # Another customer's first order starts their own progress.
    session(shop, "bob-1", "bob", "closed")
    exported = list(csv.DictReader(io.StringIO(shop.admin_api.export_achievements(app_id, campaign.id, achievement.id))))
    assert [(row["profileIntegrationID"], row["title"], row["progress"], row["status"]) for row in exported] == [
        ("alice", "3 orders", "2", "inprogress"), ("bob", "3 orders", "1", "inprogress")]
    assert all(row["startDate"] and row["completionDate"] == "" for row in exported)


def test_achievements_are_managed_with_the_sdk_models(shop):
    campaign = shop.campaign([], features=("achievements",))
    app_id = shop.application["id"]
    created = shop.admin_api.create_achievement(app_id, campaign.id, CreateAchievement(
        name="WeeklyVisits", title="Weekly visits", description="Visit every week", target=4, period="1W",
        recurrence_policy="on_expiration", activation_policy="user_action"))
    assert (created.name, created.target, created.period, created.campaign_id) == ("WeeklyVisits", 4, "1W", campaign.id)
    assert (created.recurrence_policy, created.activation_policy, created.has_progress) == (
        "on_expiration", "user_action", False)
    assert shop.admin_api.get_achievement(app_id, campaign.id, created.id) == created
    other = shop.admin_api.create_achievement(app_id, campaign.id, CreateAchievement(
        name="BigSpender", title="Big spender", description="", target=500.5))
    assert other.target == 500.5

    listed = shop.admin_api.list_achievements(app_id, campaign.id)
    assert [a.name for a in listed.data] == ["WeeklyVisits", "BigSpender"]
    assert [a.name for a in shop.admin_api.list_achievements(app_id, campaign.id, title="Big").data] == ["BigSpender"]
    assert [a.name for a in shop.admin_api.list_achievements(app_id, campaign.id, page_size=1).data] == ["WeeklyVisits"]

    updated = shop.admin_api.update_achievement(app_id, campaign.id, created.id, UpdateAchievement(
        title="Visits", target=5))
    assert (updated.title, updated.target, updated.period) == ("Visits", 5, "1W")

    with pytest.raises(ApiException) as duplicate:
        shop.admin_api.create_achievement(app_id, campaign.id, CreateAchievement(
            name="WeeklyVisits", title="Again", description="", target=1))
    assert duplicate.value.status == 409

    shop.admin_api.delete_achievement(app_id, campaign.id, other.id)
    with pytest.raises(ApiException) as gone:
        shop.admin_api.get_achievement(app_id, campaign.id, other.id)
    assert gone.value.status == 404


@pytest.mark.parametrize("body, pointer", [
    ({"title": "t", "description": "", "target": 1}, "/name"),
    ({"name": "9lives", "title": "t", "description": "", "target": 1}, "/name"),
    ({"name": "Ok", "title": "t", "description": "", "target": 0}, "/target"),
    ({"name": "Ok", "title": "t", "description": "", "target": "3"}, "/target"),
    ({"name": "Ok", "title": "t", "description": "", "target": 1, "period": "week"}, "/period"),
    ({"name": "Ok", "title": "t", "description": "", "target": 1, "recurrencePolicy": "sometimes"}, "/recurrencePolicy"),
    ({"name": "Ok", "title": "t", "description": "", "target": 1, "activationPolicy": "fixed_schedule"}, "/fixedStartDate"),
    ({"name": "Ok", "title": "t", "description": "", "target": 1,
      "periodEndOverride": {"hour": 25, "minute": 0, "second": 0}}, "/periodEndOverride/hour"),
])
def test_bad_achievements_are_refused_naming_the_field(shop, body, pointer):
    campaign = shop.campaign([], features=("achievements",))
    response = shop.admin.http.post(
        shop.admin.url(f"{shop.prefix}/campaigns/{campaign.id}/achievements"), json=body)
    assert response.status_code == 400, response.text
    assert pointer in [error["source"]["pointer"] for error in response.json()["errors"]]
