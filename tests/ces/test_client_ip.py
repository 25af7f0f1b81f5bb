"""Behind the documented TLS proxy, lock-out and the access log see the person's address, not
the proxy's (issue 9, item 9): both use ces.audit.client_ip, which trusts X-Forwarded-For only
for TRUSTED_PROXY_COUNT proxies."""

import pytest
from django.urls import reverse

from ces import roles
from ces.audit import client_ip
from ces.models import AccessLog
from tests.factories import DEFAULT_PASSWORD, AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.9", PROXY),  # no trusted proxy: the header is the browser's own claim
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the browser wrote is left of the proxy's entry
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (1, "", PROXY),  # did not come through the proxy
        (1, "not-an-address", PROXY),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_lock_out_counts_each_person_behind_the_proxy_separately(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="pat")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    colleague = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "pat", "password": "wrong"}, **attacker)
    locked = client.post(reverse("login"), {"username": "pat", "password": DEFAULT_PASSWORD}, **attacker)
    assert locked.status_code == 429
    allowed = client.post(reverse("login"), {"username": "pat", "password": DEFAULT_PASSWORD}, **colleague)
    assert allowed.status_code == 302 and allowed["Location"] == reverse("dashboard")


def test_the_access_log_records_the_persons_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    agency = AgencyFactory(initials="IPA")
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    person = ClientFactory(holding_agency=agency)
    client.force_login(worker)
    client.get(reverse("client-detail", args=[person.pk]), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessLog.objects.get(user=worker).ip_address == "203.0.113.9"


def test_production_trusts_one_proxy_by_default():
    from ces.settings import base

    assert base.TRUSTED_PROXY_COUNT == 0 and base.AXES_CLIENT_IP_CALLABLE == "ces.audit.client_ip"
    source = (base.BASE_DIR / "ces" / "settings" / "production.py").read_text()
    assert 'TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)' in source
