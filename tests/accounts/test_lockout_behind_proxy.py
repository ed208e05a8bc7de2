"""Sign-in lockouts behind one proxy (AXES_PROXY_COUNT=1): the proxy appends the address it saw
to X-Forwarded-For, and REMOTE_ADDR is the proxy itself. Whatever a client writes into the
header, its failures count against its own address: it can neither dodge the lockout nor lock
out everyone else."""

import pytest

from safermk.settings import client_address_settings

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"
ATTACKER = "198.51.100.7"
COLLEAGUE = "203.0.113.20"


@pytest.fixture
def behind_one_proxy(settings):
    for name, value in client_address_settings(1).items():
        setattr(settings, name, value)


def through_proxy(client, client_address, forged=None, password="wrong password"):
    """A sign-in as the proxy passes it on: the client's own header, then the address it saw."""
    header = f"{forged}, {client_address}" if forged else client_address
    return client.post(
        LOGIN,
        {"username": "police", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=header,
    )


def test_a_forged_header_does_not_dodge_the_lockout(client, police_partner, behind_one_proxy):
    for number in range(5):
        through_proxy(client, ATTACKER, forged=f"192.0.2.{number}")
    response = through_proxy(client, ATTACKER, forged="192.0.2.99", password="safermk-demo")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_attackers_failures_do_not_lock_out_everyone(client, police_partner, behind_one_proxy):
    for _ in range(5):
        through_proxy(client, ATTACKER, forged=COLLEAGUE)
    assert through_proxy(client, ATTACKER, password="safermk-demo").status_code == 429

    client.cookies.clear()
    response = through_proxy(client, COLLEAGUE, password="safermk-demo")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(police_partner.pk)


def test_without_a_proxy_the_header_is_ignored(client, police_partner, settings):
    for name, value in client_address_settings(0).items():
        setattr(settings, name, value)
    for number in range(5):
        client.post(
            LOGIN,
            {"username": "police", "password": "wrong"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    response = client.post(
        LOGIN,
        {"username": "police", "password": "safermk-demo"},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429
