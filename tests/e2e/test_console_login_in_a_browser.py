"""People log in to the console in a real headless Chromium: with a local account's password
(a wrong one refused first), and through OpenID Connect at a real provider process started
by the test, coming back as the employee and role its claims name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.test_console_in_a_browser import submit
from tests.oidc import CLIENT_ID, CLIENT_SECRET, oidc_provider
from tests.system import System
from warden.console.accounts import Accounts

PASSWORD = "correct horse battery"
OLIVIA = {"sub": "olivia@corp.example", "employee_id": "Olivia", "groups": ["compliance"]}

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def system(broker: str, database_url: str, tmp_path: Path) -> Iterator[System]:
    """The three services, the console configured with the provider as its OIDC issuer."""
    with (
        oidc_provider(OLIVIA) as issuer,
        System.start(
            broker,
            database_url,
            tmp_path,
            oidc_issuer=issuer,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            oidc_roles_claim="groups",
            oidc_role_map="compliance=officer",
        ) as running,
    ):
        yield running


def who(browser: WebDriver) -> str:
    return browser.find_element(By.CSS_SELECTOR, "header .who").text


def test_an_officer_logs_in_with_a_password_and_out_again(
    system: System, browser: WebDriver
) -> None:
    assert system.review is not None
    Accounts(system.review.engine).add("olivia", PASSWORD, ["officer"], employee_id="olivia")
    console = system.runtimes["compliance"].links["console"]

    browser.get(console + "login")
    browser.find_element(By.ID, "username").send_keys("olivia")
    browser.find_element(By.ID, "password").send_keys("not her password")
    submit(browser, "login-password")
    notice = browser.find_element(By.ID, "notice").text
    assert notice == "Login refused: wrong username or password."

    browser.find_element(By.ID, "username").send_keys("Olivia")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    submit(browser, "login-password")
    assert browser.current_url.endswith("/cases") and who(browser) == "olivia"
    assert browser.find_element(By.ID, "queue").text

    browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    WebDriverWait(browser, 30).until(lambda b: b.current_url.endswith("/login"))
    browser.get(console + "cases")
    assert browser.current_url.endswith("/login")  # the session ended


def test_an_officer_logs_in_through_the_openid_connect_provider(
    system: System, browser: WebDriver
) -> None:
    console = system.runtimes["compliance"].links["console"]
    browser.get(console + "login")
    browser.find_element(By.ID, "login-oidc").click()
    # The provider's own authorization page: its predefined user is a button.
    button = f"button[name='sub'][value='{OLIVIA['sub']}']"
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, button))
    browser.find_element(By.CSS_SELECTOR, button).click()
    WebDriverWait(browser, 30).until(lambda b: b.current_url == console + "cases")
    assert who(browser) == "olivia"
    assert browser.find_element(By.ID, "queue").text
