"""The rule builder's palette in a real headless Chromium: rules built from its entries (nothing typed in the
Talang JSON), saved, then evaluated by the engine through a real session over talon_one (SDK 26.2)."""
import json

import talon_one
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_campaign_manager import TUTORIAL_CART, create_application, wait_for


def create_key(manager, application_id):
    manager.open(f"/applications/{application_id}")
    manager.fill("title", "palette key")
    manager.submit("Create Integration API key")
    return manager.text("#new-key")


def integration_api(server, key):
    configuration = talon_one.Configuration(host=server.base_url, api_key={"api_key_v1": key},
                                            api_key_prefix={"api_key_v1": "ApiKey-v1"})
    return talon_one.IntegrationApi(talon_one.ApiClient(configuration))


def effects(api, session_id, **session):
    state = api.update_customer_session_v2(
        session_id, talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(**session)))
    return [(effect.effect_type, effect.props) for effect in state.effects]


def toggle(manager, key):
    manager.driver.find_element(By.ID, key).click()


def generated_rule(manager, done):
    """Waits until the Talang beside the builder is the builder's final answer (`done` holds), then returns it."""
    rules = manager.driver.find_element(By.ID, "rules")

    def parsed():
        try:
            rule = json.loads(rules.get_attribute("value"))[0]
        except (ValueError, IndexError):
            return None
        return rule if done(json.dumps(rule)) else None
    return wait_for(manager, parsed)


def new_campaign(manager, application_id, name):
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", name)
    manager.fill("ruleTitle", name)
    toggle(manager, "couponValid")  # on at the start (the tutorial's rule)
    toggle(manager, "sessionDiscount")


def test_item_category_condition_with_a_per_item_discount(manager, server):
    application_id = create_application(manager, "Palette shirts shop")
    api = integration_api(server, create_key(manager, application_id))
    new_campaign(manager, application_id, "10% off shirts")
    toggle(manager, "cartItem")
    manager.fill("itemCategory", "Shirts")
    toggle(manager, "itemDiscount")
    Select(manager.driver.find_element(By.ID, "itemDiscountKind")).select_by_value("percentage")
    manager.fill("itemDiscountAmount", "10")
    manager.fill("itemDiscountCategory", "Shirts")
    rule = generated_rule(manager, lambda text: text.count('"Shirts"') == 2 and '["/", 10, 100]' in text)
    assert "couponValid" not in json.dumps(rule) and rule["effects"][0][0] == "map"
    manager.screenshot("campaign-rule-palette")
    manager.submit("Create campaign")
    assert manager.text("h1") == "10% off shirts"
    assert '"setDiscountPerItem"' in manager.text("#active-rules")

    # The blouse (position 0, a shirt) gets 10% of 49; the trousers nothing.
    given = effects(api, "palette-shirts", cart_items=[talon_one.CartItem(**item) for item in TUTORIAL_CART])
    assert [(kind, props["name"], props["value"], props["position"]) for kind, props in given] == [
        ("setDiscountPerItem", "10% off shirts", 4.9, 0)]
    trousers = [talon_one.CartItem(**TUTORIAL_CART[1])]
    assert effects(api, "palette-trousers", cart_items=trousers) == []


def test_session_attribute_and_time_window_conditions_with_a_notification(manager, server):
    manager.open("/attributes")
    Select(manager.driver.find_element(By.ID, "entity")).select_by_value("CustomerSession")
    Select(manager.driver.find_element(By.ID, "type")).select_by_value("string")
    manager.fill("name", "palette_channel")
    manager.fill("title", "Sales channel")
    manager.submit("Create attribute")
    assert "Created the attribute palette_channel." in manager.text("main")

    application_id = create_application(manager, "Palette app shop")
    api = integration_api(server, create_key(manager, application_id))
    new_campaign(manager, application_id, "Greet app users")
    toggle(manager, "sessionAttribute")
    Select(manager.driver.find_element(By.ID, "sessionAttributeName")).select_by_value("CustomerSession/palette_channel")
    Select(manager.driver.find_element(By.ID, "sessionAttributeComparison")).select_by_value("=")
    manager.fill("sessionAttributeValue", "app")
    # Every day since 2000: always true, but evaluated by the engine at the session's time.
    toggle(manager, "timeWindow")
    manager.fill("windowStart", "2000-01-01 00:00")
    for day in range(7):
        toggle(manager, f"weekday{day}")
    toggle(manager, "notification")
    manager.fill("notificationTitle", "Hello app user")
    manager.fill("notificationBody", "Thanks for shopping in our app")
    generated_rule(manager, lambda text: '"app"' in text and '"6"' in text and "Thanks for shopping in our app" in text)
    manager.submit("Create campaign")
    assert manager.text("h1") == "Greet app users"
    assert '"showNotification"' in manager.text("#active-rules")

    shown = effects(api, "palette-app", cart_items=[talon_one.CartItem(**TUTORIAL_CART[0])],
                    attributes={"palette_channel": "app"})
    assert [(kind, props["title"], props["body"]) for kind, props in shown] == [
        ("showNotification", "Hello app user", "Thanks for shopping in our app")]
    assert effects(api, "palette-web", cart_items=[talon_one.CartItem(**TUTORIAL_CART[0])],
                   attributes={"palette_channel": "web"}) == []


def test_builder_problems_are_named_at_their_field(manager):
    application_id = create_application(manager, "Palette problems shop")
    new_campaign(manager, application_id, "Broken")
    toggle(manager, "freeItem")
    manager.fill("freeItemSku", "gift-1")
    wait_for(manager, lambda: "/builder/freeItemName" in manager.text("#rule-issues"))
    manager.fill("freeItemName", "A gift")
    generated_rule(manager, lambda text: '"addFreeItem"' in text and '"A gift"' in text)
    wait_for(manager, lambda: not manager.driver.find_element(By.ID, "rule-issues").is_displayed())
