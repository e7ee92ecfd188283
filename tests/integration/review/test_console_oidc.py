"""OpenID Connect login to the console against a real provider process (oidc-provider-mock),
over HTTP without a browser: the session gets the employee id and roles the ID token's claims
name; a callback with a wrong state, one whose ID token carries a wrong nonce, a denied login
and claims naming no role are each refused with the reason, opening no session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select

from tests.oidc import CLIENT_ID, CLIENT_SECRET, authorize, oidc_provider, query_of, with_query
from warden.compliance.review.cases import Review
from warden.compliance.storage import schema
from warden.console.app import COOKIE, Console
from warden.console.oidc import STATE_COOKIE, OidcConfig
from warden.console.sessions import Sessions
from warden.platform.db import make_engine

SECRET = "console-oidc-test-secret-of-32-bytes-at-least"
OLIVIA = {"sub": "olivia@corp.example", "employee_id": "Olivia", "groups": ["compliance"]}
SAM = {"sub": "sam@corp.example", "employee_id": "sam", "groups": ["sales-team"]}

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with oidc_provider(OLIVIA, SAM) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, schema.metadata)
    yield engine
    engine.dispose()


@pytest.fixture
def console(engine: Engine, issuer: str) -> Console:
    config = OidcConfig(
        issuer=issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        roles_claim="groups",
        role_map={"compliance": "officer"},
    )
    return Console(Review(engine), SECRET, oidc=config)


@pytest.fixture
def browser(console: Console) -> FlaskClient:
    """A client that keeps cookies, as a browser does."""
    return console.app.test_client()


def start(browser: FlaskClient) -> str:
    """Start a login at the console: the provider's authorization URL it redirects to."""
    reply = browser.get("/login/oidc")
    assert reply.status_code == 302, reply.status_code
    assert browser.get_cookie(STATE_COOKIE) is not None
    return str(reply.headers["Location"])


def callback(browser: FlaskClient, url: str) -> tuple[int, str]:
    reply = browser.get(url.removeprefix("http://localhost"))
    return reply.status_code, reply.get_data(as_text=True)


def sessions(engine: Engine) -> int:
    with engine.connect() as conn:
        count = select(func.count()).select_from(schema.console_sessions)
        return int(conn.execute(count).scalar() or 0)


def test_an_officer_logs_in_through_the_provider_as_the_employee_its_claims_name(
    browser: FlaskClient, engine: Engine, issuer: str
) -> None:
    authorization = start(browser)
    asked = query_of(authorization)
    assert authorization.startswith(f"{issuer}/oauth2/authorize?")
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert asked["nonce"] and asked["state"] and asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == "http://localhost/login/oidc/callback"

    status, page = callback(browser, authorize(authorization, OLIVIA["sub"]))

    assert status == 200 and 'http-equiv="refresh" content="0;url=/cases"' in page
    session = browser.get_cookie(COOKIE)
    assert session is not None and session.http_only and session.same_site == "Strict"
    identity = Sessions(engine).find(session.value)
    assert (identity.subject, identity.roles) == ("olivia", {"officer"})
    queue = browser.get("/cases")
    assert queue.status_code == 200 and '<span class="who">olivia</span>' in queue.text


def test_a_callback_with_a_wrong_state_is_refused_and_opens_no_session(
    browser: FlaskClient, engine: Engine
) -> None:
    back = authorize(start(browser), OLIVIA["sub"])
    status, page = callback(browser, with_query(back, state="forged-state"))
    assert status == 401
    assert (
        "Login refused: the OIDC state does not match a login this browser started; start "
        "again from the login page." in page
    )
    assert browser.get_cookie(COOKIE) is None and sessions(engine) == 0


def test_a_callback_in_another_browser_than_the_one_that_started_the_login_is_refused(
    console: Console, browser: FlaskClient, engine: Engine
) -> None:
    back = authorize(start(browser), OLIVIA["sub"])  # an attacker's own login...
    victim = console.app.test_client()  # ...whose callback link another browser follows
    status, page = callback(victim, back)
    assert status == 401 and "the OIDC state does not match a login this browser started" in page
    assert sessions(engine) == 0


def test_an_id_token_with_a_wrong_nonce_is_refused_and_opens_no_session(
    browser: FlaskClient, engine: Engine
) -> None:
    authorization = start(browser)
    # The provider issues the ID token for the nonce in the request it gets: one not this
    # login's, as in a response replayed from another login.
    back = authorize(with_query(authorization, nonce="a-nonce-of-another-login"), OLIVIA["sub"])
    assert query_of(back)["state"] == query_of(authorization)["state"]
    status, page = callback(browser, back)
    assert status == 401
    assert "Login refused: the ID token&#39;s nonce does not match this login" in page
    assert browser.get_cookie(COOKIE) is None and sessions(engine) == 0


def test_claims_naming_no_warden_role_are_refused(browser: FlaskClient, engine: Engine) -> None:
    status, page = callback(browser, authorize(start(browser), SAM["sub"]))
    assert status == 401
    assert "Login refused: the ID token&#39;s &#39;groups&#39; claim names no Warden role." in page
    assert sessions(engine) == 0


def test_a_login_the_provider_denies_is_refused(browser: FlaskClient, engine: Engine) -> None:
    authorization = start(browser)
    back = with_query(
        query_of(authorization)["redirect_uri"],
        error="access_denied",
        state=query_of(authorization)["state"],
    )
    status, page = callback(browser, back)
    assert status == 401 and "Login refused: the identity provider denied the login." in page
    assert sessions(engine) == 0


def test_an_unreachable_issuer_is_named_on_the_login_page(engine: Engine) -> None:
    config = OidcConfig(issuer="http://127.0.0.1:9", client_id=CLIENT_ID)
    reply = Console(Review(engine), SECRET, oidc=config).app.test_client().get("/login/oidc")
    assert reply.status_code == 502
    assert "Login refused: the identity provider at http://127.0.0.1:9 cannot be reached." in (
        reply.text
    )
