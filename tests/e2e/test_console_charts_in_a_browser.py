"""The console's analytics charts in a real headless Chromium: an officer picks a period, and
each chart is drawn as SVG (no script runs under the console's CSP) with one bar per week and
series, or per age bucket and rule, as the figures the test wrote call for."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.e2e.test_console_in_a_browser import ARTIFACTS, log_in, submit
from tests.integration.review.test_console_analytics import SECRET, seeded_console
from warden.compliance.storage import schema
from warden.console.server import ConsoleServer
from warden.platform.auth import CONSOLE, issue_token
from warden.platform.db import make_engine

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def console_url(database_url: str) -> Iterator[str]:
    engine = make_engine(database_url, schema.metadata)
    server = ConsoleServer(seeded_console(engine), "127.0.0.1", 0)
    stop = threading.Event()
    serving = threading.Thread(target=server.run, args=(stop,), daemon=True)
    serving.start()
    try:
        yield server.url
    finally:
        stop.set()
        serving.join(timeout=10)
        engine.dispose()


def bars(browser: WebDriver, chart_id: str) -> int:
    return len(browser.find_elements(By.CSS_SELECTOR, f"svg#{chart_id} rect.bar"))


def test_the_analytics_charts_are_drawn_in_the_browser(
    console_url: str, browser: WebDriver, request: pytest.FixtureRequest
) -> None:
    log_in(browser, console_url, issue_token(SECRET, "olivia", ["officer"], audience=CONSOLE))
    browser.find_element(By.LINK_TEXT, "Analytics").click()
    assert browser.current_url.endswith("/analytics")
    weeks = browser.find_element(By.NAME, "weeks")
    weeks.clear()
    weeks.send_keys("4")
    submit(browser, "show-period")
    assert browser.current_url.endswith("/analytics?weeks=4")

    # 4 weeks x the 3 clauses opened in them; the age buckets; 4 weeks x 4 rule series
    # (3 active, 1 shadow); the 2 rules with labels that judge.
    expected = {"opened": 12, "decided": 8, "open-by-age": 5, "findings": 16, "precision": 2}
    assert {chart: bars(browser, chart) for chart in expected} == expected
    assert bars(browser, "time-to-decision") == 2  # clauses with a decision
    chart = browser.find_element(By.CSS_SELECTOR, "svg#open-by-age")
    assert chart.size["height"] > 100 and chart.size["width"] > 100  # drawn, not just present
    title = browser.find_element(By.CSS_SELECTOR, "svg#open-by-age > title")
    assert title.get_attribute("textContent") == "Open cases by age"
    heights = [
        float(bar.get_attribute("height") or 0)
        for bar in browser.find_elements(By.CSS_SELECTOR, "svg#open-by-age rect.bar")
    ]
    assert [h > 0 for h in heights] == [True, False, True, False, True]
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
