"""The Campaign Manager in a real headless Chromium against a real `sconto serve`: the seed tutorial's
journey from login to a discounted session through the SDK, plus escaping, CSRF and login checks."""
import re

import requests
import talon_one
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Manager
from sconto_server import ADMIN_EMAIL, ADMIN_PASSWORD

TUTORIAL_CART = [{"name": "Red Spring Blouse", "sku": "rdbs-1111", "quantity": 1, "price": 49, "category": "Shirts"},
                 {"name": "Denim Trousers", "sku": "dtr-2222", "quantity": 1, "price": 74, "category": "Trousers"}]


def create_application(manager, name):
    manager.open("/applications")
    manager.fill("name", name)
    manager.fill("currency", "EUR")
    manager.fill("timezone", "Europe/Berlin")
    manager.submit("Create application")
    match = re.search(r"/applications/(\d+)$", manager.driver.current_url)
    assert match, manager.driver.current_url
    return int(match.group(1))


def wait_for(manager, condition, timeout=10):
    # Pages reload themselves (a finished coupon batch): an element may go stale between find and read.
    return WebDriverWait(manager.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda _: condition())


def test_tutorial_journey_from_login_to_a_discounted_session(manager, server):
    manager.open("/applications")
    application_id = create_application(manager, "Tutorial shop")
    assert manager.text("h1") == "Tutorial shop"
    manager.open("/applications")
    assert "Tutorial shop" in manager.text("main table")
    manager.screenshot("applications")

    manager.open(f"/applications/{application_id}")
    manager.fill("title", "tutorial key")
    manager.submit("Create Integration API key")
    key = manager.text("#new-key")
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert f"ApiKey-v1 {key}" in manager.text("#first-request")
    manager.screenshot("integration-key")
    manager.open(f"/applications/{application_id}")
    assert key not in manager.driver.page_source  # shown once

    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "Tutorial: 20% off with a valid coupon")
    # The builder starts at the tutorial's rule; changing a field regenerates the Talang beside it.
    manager.fill("amount", "25")
    rules = manager.driver.find_element(By.ID, "rules")
    wait_for(manager, lambda: '"/",\n' in rules.get_attribute("value") and "25" in rules.get_attribute("value"))
    manager.fill("amount", "20")
    wait_for(manager, lambda: "25" not in rules.get_attribute("value"))
    assert '"couponValid"' in rules.get_attribute("value")
    manager.screenshot("campaign-rule-builder")
    manager.submit("Create campaign")
    assert manager.text("h1") == "Tutorial: 20% off with a valid coupon"
    assert manager.text("#campaign-state") == "running"
    assert '"setDiscount"' in manager.text("#active-rules")

    manager.fill("count", "5")
    manager.fill("prefix", "XMAS-")
    manager.submit("Generate coupons")
    wait_for(manager, lambda: "Generated 5 coupons." in manager.text("#coupons"))
    codes = [item.text for item in manager.driver.find_elements(By.CSS_SELECTOR, "#coupon-list code")]
    assert len(codes) == 5 and all(re.fullmatch(r"XMAS-[A-Z0-9]{8}", code) for code in codes)
    manager.screenshot("campaign-coupons")

    configuration = talon_one.Configuration(host=server.base_url, api_key={"api_key_v1": key},
                                            api_key_prefix={"api_key_v1": "ApiKey-v1"})
    api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
    session = talon_one.NewCustomerSessionV2(
        cart_items=[talon_one.CartItem(**item) for item in TUTORIAL_CART], coupon_codes=[codes[0]], state="closed")
    state = api.update_customer_session_v2("ui-tutorial", talon_one.IntegrationRequest(customer_session=session))
    assert [e.effect_type for e in state.effects] == ["acceptCoupon", "setDiscount"]
    assert state.effects[1].props["value"] == 24.6

    manager.driver.refresh()
    assert "coupons redeemed 1" in manager.text("main section.card p")
    manager.open(f"/applications/{application_id}")
    assert manager.text("main table tbody tr td:nth-child(3)") == "1"


def test_a_large_coupon_batch_shows_its_progress_live(manager):
    application_id = create_application(manager, "Batch shop")
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", "Many coupons")
    manager.submit("Create campaign")
    manager.fill("count", "20000")
    manager.submit("Generate coupons")
    assert wait_for(manager, lambda: manager.driver.find_element(By.ID, "batch-progress").get_attribute("max")) == "20000"
    manager.screenshot("coupon-progress")
    wait_for(manager, lambda: "Generated 20000 coupons." in manager.text("#coupons"), timeout=90)
    assert "Coupons (20000)" in manager.text("#coupons h2")


def test_rule_checker_errors_appear_at_their_pointer_as_you_type(manager):
    application_id = create_application(manager, "Checker shop")
    manager.open(f"/applications/{application_id}/campaigns/new")
    rules = manager.driver.find_element(By.ID, "rules")
    wait_for(manager, lambda: "couponValid" in rules.get_attribute("value"))
    rules.clear()
    rules.send_keys('[{"title": "bad", "condition": ["couponValid", 1], "effects": []}]')
    wait_for(manager, lambda: "/rules/0/condition" in manager.text("#rule-issues"))
    manager.fill("name", "Refused")
    manager.submit("Create campaign")
    # The server refuses it with the same pointer; nothing is saved.
    assert "/rules/0/condition" in manager.text("#rule-issues")
    manager.open(f"/applications/{application_id}")
    assert "No campaign yet." in manager.text("main")


def test_phone_width_keeps_the_builder_usable(manager):
    application_id = create_application(manager, "Phone shop")
    manager.driver.set_window_size(390, 844)
    try:
        for path in ("/attributes", "/management_keys", f"/applications/{application_id}",
                     f"/applications/{application_id}/sessions", f"/applications/{application_id}/logs",
                     f"/applications/{application_id}/analytics", f"/applications/{application_id}/settings",
                     f"/applications/{application_id}/campaigns/new"):
            manager.open(path)
            width = manager.driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways: {width}px"
        manager.screenshot("campaign-rule-builder-phone")
    finally:
        manager.driver.set_window_size(1280, 900)


def test_a_campaign_named_like_a_script_renders_as_text(manager):
    name = "<script>alert(1)</script>"
    application_id = create_application(manager, name)
    assert manager.text("h1") == name
    manager.open(f"/applications/{application_id}/campaigns/new")
    manager.fill("name", name)
    manager.submit("Create campaign")
    assert manager.text("h1") == name
    try:
        manager.driver.switch_to.alert
        raise AssertionError("the campaign name ran as a script")
    except NoAlertPresentException:
        pass
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in requests.get(
        manager.driver.current_url, cookies={c["name"]: c["value"] for c in manager.driver.get_cookies()}).text
    manager.open(f"/applications/{application_id}")
    assert manager.text("main table tbody td a") == name


def logged_in_http(base_url):
    """Logs in through the login form over plain HTTP; returns the session and the page's CSRF token."""
    http = requests.Session()
    form = http.get(base_url + "/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    response = http.post(base_url + "/login", data={"csrf": token, "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                         allow_redirects=False)
    assert response.status_code == 303 and response.headers["Location"] == "/applications"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain HTTP here
    page = http.get(base_url + "/applications").text
    return http, re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_posts_without_the_csrf_token_are_refused(server):
    http, token = logged_in_http(server.base_url)
    for data in ({"name": "Forged", "currency": "EUR", "timezone": "UTC"},
                 {"name": "Forged", "currency": "EUR", "timezone": "UTC", "csrf": "not-the-token"}):
        response = http.post(server.base_url + "/applications", data=data, allow_redirects=False)
        assert response.status_code == 403
    assert "Forged" not in http.get(server.base_url + "/applications").text
    accepted = http.post(server.base_url + "/applications",
                         data={"name": "Genuine", "currency": "EUR", "timezone": "UTC", "csrf": token},
                         allow_redirects=False)
    assert accepted.status_code == 303
    # The login form has its own double-submitted token.
    assert requests.post(server.base_url + "/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                         allow_redirects=False).status_code == 403


def test_pages_need_a_login_and_logout_ends_it(server):
    anonymous = requests.get(server.base_url + "/applications", allow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["Location"] == "/login"
    http, token = logged_in_http(server.base_url)
    wrong = requests.Session()
    form = wrong.get(server.base_url + "/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    refused = wrong.post(server.base_url + "/login", data={"csrf": csrf, "email": ADMIN_EMAIL, "password": "nope"})
    assert refused.status_code == 401 and "Wrong email or password." in refused.text
    assert http.post(server.base_url + "/logout", data={"csrf": token}, allow_redirects=False).status_code == 303
    assert http.get(server.base_url + "/applications", allow_redirects=False).status_code == 303
    stolen = requests.get(server.base_url + "/applications", allow_redirects=False,
                          cookies={"sconto_manager": "0" * 64})
    assert stolen.status_code == 303


def test_login_form_is_keyboard_usable_in_order(browser, server):
    browser.delete_all_cookies()
    manager = Manager(browser, server.base_url)
    manager.open("/login")
    order = []
    for _ in range(5):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        element = browser.switch_to.active_element
        order.append(element.get_attribute("id") or element.text)
    assert order == ["Skip to content", "Sconto Campaign Manager", "email", "password", "Log in"], order
    manager.screenshot("login")
    manager.fill("email", ADMIN_EMAIL)
    manager.fill("password", ADMIN_PASSWORD)
    browser.switch_to.active_element.send_keys(Keys.ENTER)  # submits from the keyboard
    wait_for(manager, lambda: manager.text("h1") == "Applications")


def test_ui_logins_are_throttled_like_the_apis(server):
    """20 wrong passwords in a row for an account, then 429 with Retry-After (issue 11's rule, on the UI's form too)."""
    http = requests.Session()
    email = "nobody-ui-throttle@example.com"

    def attempt():
        form = http.get(server.base_url + "/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        return http.post(server.base_url + "/login", data={"csrf": csrf, "email": email, "password": "guess"},
                         allow_redirects=False)

    assert [attempt().status_code for _ in range(20)] == [401] * 20
    throttled = attempt()
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1
