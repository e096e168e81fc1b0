"""The public pages of community care, as a person without an account and a robot meet them."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from moulin.care import public
from moulin.care.enums import Channel, RequestStatus
from moulin.care.models import Beneficiary, Request, ServiceType, Survey
from tests.picking import pick


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def aged_token(seconds=30):
    return signing.dumps(int(time.time()) - seconds, salt=public.TOKEN_SALT)


def form_data(service, **extra):
    data = {"service_type": service.pk, "description": "Please cut the hedge along the street",
            "first_name": "Mady", "last_name": "Kohnen-Testa", "address": "3, rue du Parc", "postcode": "L-4001",
            "phone": "621 123 456", "household_size": "1", "consent": "on", "website": "",
            "started": aged_token()}  # fmt: skip
    return data | extra


@pytest.fixture
def offered(esch):
    return pick(ServiceType.objects.offered_in(esch).order_by("pk"), "service offered in Esch-sur-Alzette")


def test_the_directory_lists_the_communes_services_in_each_language(client, esch, offered):
    url = reverse("care:public_directory", args=[esch.code])
    page = client.get(url).content.decode()
    assert offered.name in page and reverse("care:public_request", args=[esch.code]) in page
    french = client.get(url, headers={"accept-language": "fr"})
    assert french.status_code == 200 and 'lang="fr"' in french.content.decode()
    translation.activate("en")


def test_a_person_asks_without_an_account_and_gets_a_reference(client, esch, offered):
    url = reverse("care:public_request", args=[esch.code])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(offered), follow=True)
    page = response.content.decode()
    reference = re.search(r'data-testid="reference">([^<]+)<', page).group(1)
    request = Request.objects.get(reference=reference)
    assert request.channel == Channel.PUBLIC_FORM and request.commune == esch
    assert request.status in (RequestStatus.ACCEPTED, RequestStatus.REFERRED)
    assert request.beneficiary.consent and request.beneficiary.last_name == "Kohnen-Testa"


def test_a_roofing_request_from_the_public_is_referred(client, esch, offered):
    url = reverse("care:public_request", args=[esch.code])
    client.post(url, form_data(offered, description="Replace broken roof tiles after the storm", last_name="Roof"))
    request = Request.objects.get(beneficiary__last_name="Roof")
    assert request.status == RequestStatus.REFERRED and request.referral_text


def test_bad_input_is_shown_next_to_the_field(client, esch, offered):
    url = reverse("care:public_request", args=[esch.code])
    response = client.post(url, form_data(offered, phone="12", consent=""))
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-field-error="phone"' in body and 'data-field-error="consent"' in body


@pytest.mark.parametrize("spam", [
    {"website": "http://cheap.example"},   # the honeypot filled
    {"started": "forged"},                 # no valid timing token
    {"started": "now"},                    # sent back faster than a person types
])  # fmt: skip
def test_spam_is_dropped_without_an_error_page(spam, client, esch, offered):
    if spam.get("started") == "now":
        spam = {"started": signing.dumps(int(time.time()), salt=public.TOKEN_SALT)}
    before = (Request.objects.count(), Beneficiary.objects.count())
    response = client.post(reverse("care:public_request", args=[esch.code]), form_data(offered, **spam), follow=True)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode() and 'data-testid="reference"' not in response.content.decode()
    assert (Request.objects.count(), Beneficiary.objects.count()) == before


def test_an_address_is_limited_to_a_few_submissions_an_hour(client, esch, offered):
    url = reverse("care:public_request", args=[esch.code])
    for n in range(public.RATE_LIMIT):
        client.post(url, form_data(offered, last_name=f"Rate{n}"))
    client.post(url, form_data(offered, last_name="RateOver"))
    assert Request.objects.filter(beneficiary__last_name__startswith="Rate").count() == public.RATE_LIMIT
    assert not Beneficiary.objects.filter(last_name="RateOver").exists()


def test_the_survey_link_is_answered_once(client):
    survey = pick(Survey.objects.filter(answered_on__isnull=True).order_by("pk"), "survey not answered yet")
    url = reverse("care:public_survey", args=[survey.token])
    assert 'name="satisfaction"' in client.get(url).content.decode()
    response = client.post(url, {"satisfaction": "4", "comment": "Very kind team"})
    assert 'data-testid="thanks"' in response.content.decode()
    survey.refresh_from_db()
    assert survey.satisfaction == 4 and survey.channel == "link"
    again = client.post(url, {"satisfaction": "1"})
    assert 'data-testid="answered"' in again.content.decode()
    survey.refresh_from_db()
    assert survey.satisfaction == 4
    assert client.get(reverse("care:public_survey", args=["not-a-token"])).status_code == 404


def test_the_survey_results_count_per_service_line(client_as, demo_user, home_org):
    """One row per service line, however many organisations: a manager's own organisation's answers; the network
    office's sum every organisation's, each row saying how many organisations and services it holds. The page
    links the figures per organisation and service."""
    page = client_as("manager").get(reverse("care:survey_list"))
    results = page.context["results"]
    own = Survey.objects.filter(request__organisation=home_org, answered_on__isnull=False)
    assert results and all(r["organisations"] == 1 for r in results)
    assert sum(r["answers"] for r in results) == own.count()
    assert reverse("care:service_results") in page.content.decode()

    page = client_as("staff").get(reverse("care:survey_list"))
    network, html = page.context["results"], page.content.decode()
    answered = Survey.objects.answered()
    assert sum(r["answers"] for r in network) == answered.count()
    assert len(network) == answered.values("request__service_type__service_line").distinct().count()
    for row in network:
        line = answered.filter(request__service_type__service_line=row["request__service_type__service_line"])
        assert row["organisations"] == line.values("request__organisation").distinct().count() > 1
        assert row["services"] == line.values("request__service_type").distinct().count()
        assert row["recommend"] == line.filter(would_recommend=True).count()
        assert f"<td>{row['line']}</td>" in html
    assert "<td>Community care</td>" in html


def test_the_ministry_reads_the_figures_per_service_counted_over_the_network(client_as, demo_user):
    page = client_as("ministry").get(reverse("care:service_results"))
    assert page.status_code == 200
    rows = [obj for obj, _cells in page.context["rows"]]
    assert sum(r.n_requests for r in rows) == Request.objects.count()
    assert sum(r.n_referred for r in rows) == Request.objects.filter(status=RequestStatus.REFERRED).count()
    assert sum(r.n_answers for r in rows) == Survey.objects.answered().count()
    manager_rows = [obj for obj, _ in client_as("manager").get(reverse("care:service_results")).context["rows"]]
    counted = Request.objects.counted_for(demo_user("manager"))
    assert sum(r.n_requests for r in manager_rows) == counted.count() < Request.objects.count()


def _shared_stores(kind, tmp_path):
    """Two cache backends as two web processes hold them: separate objects and connections, one shared store."""
    if kind == "redis":
        import shutil
        import socket
        import subprocess

        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                                  stdout=subprocess.DEVNULL)  # fmt: skip
        from django.core.cache.backends.redis import RedisCache

        stores = [RedisCache(f"redis://127.0.0.1:{port}/0", {"KEY_PREFIX": "moulin"}) for _ in range(2)]
        for _ in range(50):
            try:
                stores[0].get("ping")
                break
            except Exception:  # noqa: BLE001 - the server is starting
                time.sleep(0.1)

        def stop():
            server.terminate()
            server.wait(timeout=5)

        return stores, stop
    from django.core.cache.backends.filebased import FileBasedCache

    return [FileBasedCache(str(tmp_path / "cache"), {}) for _ in range(2)], lambda: None


@pytest.mark.parametrize("kind", ["redis", "file"])
def test_the_rate_limit_counts_across_processes_sharing_the_cache(client, esch, offered, monkeypatch, tmp_path,
                                                                   kind):  # fmt: skip
    """Two web processes answer the same address in turn: the limit holds over both, since it is counted in the
    configured (shared) cache, not in a process's memory."""
    from moulin.core import ratelimit

    stores, stop = _shared_stores(kind, tmp_path)
    try:
        url = reverse("care:public_request", args=[esch.code])
        for n in range(public.RATE_LIMIT + 2):
            monkeypatch.setattr(ratelimit, "backend", lambda n=n: stores[n % 2])
            client.post(url, form_data(offered, last_name=f"Shared{kind}{n}"))
        kept = Request.objects.filter(beneficiary__last_name__startswith=f"Shared{kind}").count()
        # each process alone saw fewer attempts than the limit: a count in a process's memory lets them all in
        assert kept == public.RATE_LIMIT
    finally:
        stop()
