"""Fixtures for the Campaign Manager UI tests: one real `sconto serve`, a headless Debian Chromium."""
import os
import sys

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))

from sconto_server import ADMIN_EMAIL, ADMIN_PASSWORD, Server  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOTS = os.path.join(ROOT, "docs", "screenshots")


@pytest.fixture(scope="session")
def server():
    server = Server()
    yield server
    server.stop_cleanly()


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    # Debian's Chromium and its driver, named explicitly so selenium never tries to download a browser.
    options.binary_location = os.environ.get("SCONTO_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--disable-gpu"):
        options.add_argument(argument)
    driver = webdriver.Chrome(
        options=options, service=Service(os.environ.get("SCONTO_CHROMEDRIVER", "/usr/bin/chromedriver")))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


class Manager:
    """Drives the Campaign Manager in the browser: small verbs the tests read like a marketer's steps."""

    def __init__(self, driver, base_url):
        self.driver, self.base_url = driver, base_url

    def open(self, path):
        self.driver.get(self.base_url + path)

    def fill(self, field_id, text):
        field = self.driver.find_element("id", field_id)
        field.clear()
        field.send_keys(text)

    def submit(self, button_text):
        """Clicks a form's submit button and waits until the answer page has replaced this one."""
        # A marker on the old page's window, not selenium's staleness_of: chromedriver can answer a stale node with
        # "Node with given id does not belong to the document" (a plain WebDriverException) while the page swaps.
        self.driver.execute_script("window.__scontoOldPage = true")
        self.driver.find_element("xpath", f"//main//button[normalize-space()='{button_text}']").click()
        WebDriverWait(self.driver, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda driver: driver.execute_script(
                "return window.__scontoOldPage !== true && document.readyState === 'complete'"))

    def text(self, css):
        return self.driver.find_element("css selector", css).text

    def log_in(self, email=ADMIN_EMAIL, password=ADMIN_PASSWORD):
        self.open("/login")
        self.fill("email", email)
        self.fill("password", password)
        self.submit("Log in")

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        self.driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))


@pytest.fixture(scope="session")
def manager(browser, server):
    manager = Manager(browser, server.base_url)
    manager.log_in()
    return manager
