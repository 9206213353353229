"""Period budgets in the campaign form: a daily discount budget and a weekly redemption budget are saved as limits
with their period, shown again, and cleared, next to the whole-life budgets."""
from selenium.webdriver.common.by import By

from test_campaign_manager import create_application


def value(manager, field):
    return manager.driver.find_element(By.ID, field).get_attribute("value")


def test_period_budgets_are_saved_shown_and_cleared(manager):
    application_id = create_application(manager, "Budget shop")
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "Budgeted")
    manager.submit("Create campaign")
    campaign_path = manager.driver.current_url.split("?")[0].replace(manager.base_url, "")

    manager.open(campaign_path + "/edit")
    manager.fill("discountBudget", "1000")
    manager.fill("discountBudget-daily", "50.5")
    manager.fill("redemptionBudget-weekly", "7")
    manager.submit("Save campaign")
    manager.open(campaign_path + "/edit")
    assert [value(manager, field) for field in ("discountBudget", "discountBudget-daily", "redemptionBudget-weekly",
                                               "discountBudget-monthly")] == ["1000", "50.5", "7", ""]

    manager.fill("discountBudget-daily", "")
    manager.fill("redemptionBudget-yearly", "many")
    manager.submit("Save campaign")
    assert "/limits/redemptionBudget-yearly" in manager.text(".errors")
    manager.fill("redemptionBudget-yearly", "")
    manager.submit("Save campaign")
    manager.open(campaign_path + "/edit")
    assert [value(manager, field) for field in ("discountBudget", "discountBudget-daily", "redemptionBudget-weekly")] \
        == ["1000", "", "7"]
