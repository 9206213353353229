"""The webhooks page in a real headless Chromium: create a webhook (its signing secret shown once), see it listed
and open its attempt log; a URL to a private address is refused at its field by the API's SSRF guard."""
from selenium.webdriver.common.by import By

from test_campaign_manager import create_application, logged_in_http

PUBLIC_URL = "https://93.184.216.34/hooks/${orderId}"  # a literal public address: no DNS needed


def test_a_webhook_is_created_listed_and_shows_its_attempt_log(manager):
    application_id = create_application(manager, "Webhook shop")
    manager.open("/webhooks")
    manager.fill("title", "Order shipped <b>now</b>")
    manager.fill("url", PUBLIC_URL)
    manager.fill("headers", "X-Shop: sconto\n")
    manager.fill("payload", '{"order": "${orderId}"}')
    manager.fill("params", "orderId, string\n")
    manager.driver.find_element(By.NAME, f"application-{application_id}").click()
    manager.submit("Create webhook")
    assert "/title" in manager.text(".errors")  # Talon.One's title rule: no "<"

    manager.fill("title", "Order shipped")
    manager.submit("Create webhook")
    secret = manager.text("#webhook-secret code")
    assert len(secret) >= 32
    row = next(row for row in manager.driver.find_elements(By.CSS_SELECTOR, "#webhooks tbody tr")
               if row.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text == "Order shipped")
    assert [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")][2:] == ["POST", PUBLIC_URL, "yes"]
    manager.screenshot("webhooks")

    manager.open("/webhooks")
    assert secret not in manager.driver.page_source  # shown once only
    manager.driver.find_element(By.LINK_TEXT, "Order shipped").click()
    assert manager.text("h1") == "Webhook Order shipped"
    assert "No attempt yet" in manager.text("main")
    manager.screenshot("webhook-attempts")


def test_a_private_url_is_refused_as_a_form_error(manager):
    manager.open("/webhooks")
    manager.fill("title", "Internal")
    manager.fill("url", "http://127.0.0.1:9/hook")
    manager.submit("Create webhook")
    errors = manager.text(".errors")
    assert "/url" in errors and "refused" in errors
    assert manager.driver.find_element(By.ID, "url").get_attribute("value") == "http://127.0.0.1:9/hook"
    assert "Internal" not in [cell.text for cell in
                              manager.driver.find_elements(By.CSS_SELECTOR, "#webhooks td:nth-child(2)")]


def test_the_new_forms_refuse_posts_without_the_csrf_token(server):
    http, _ = logged_in_http(server.base_url)
    forged = {
        "/webhooks": {"title": "Forged", "url": "https://93.184.216.34/x", "verb": "POST", "enabled": "on"},
        "/loyalty": {"name": "forged", "title": "Forged", "defaultValidity": "unlimited",
                     "defaultPending": "immediate", "timezone": "UTC"},
    }
    for path, data in forged.items():
        assert http.post(server.base_url + path, data=data, allow_redirects=False).status_code == 403, path
        assert "Forged" not in http.get(server.base_url + path).text, path
