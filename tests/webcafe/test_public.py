"""The public pages of the web cafés, as a person without an account and a robot meet them."""

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from moulin.care import public as care_public
from moulin.training.enums import EnrolmentStatus
from moulin.webcafe import services
from moulin.webcafe.enums import Channel, Language, Level, Topic
from moulin.webcafe.models import Registration
from tests.webcafe.conftest import T, next_weekday


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(venue, public_course_of_catalogue):
    day = next_weekday(1)
    return services.plan_course(
        venue=venue, course=public_course_of_catalogue, start_date=day, end_date=day, weekdays=[1],
        starts_at=T(9, 30), ends_at=T(11, 30), capacity=1, topic=Topic.SMARTPHONE, level=Level.BEGINNER,
        language=Language.PORTUGUESE, actor=None,
    )  # fmt: skip


def aged_token(seconds=30):
    return signing.dumps(int(time.time()) - seconds, salt=care_public.TOKEN_SALT)


def form_data(**extra):
    data = {"name": "Irène Pfeiffer-Test", "phone": "621 987 654", "email": "", "consent": "on", "website": "",
            "started": aged_token()}  # fmt: skip
    return data | extra


def test_the_communes_page_shows_its_web_cafes_hours_and_courses_in_each_language(client, esch, venue, course):
    url = reverse("webcafe:public_commune", args=[esch.code])
    page = client.get(url).content.decode()
    assert venue.name in page and course.title in page and "13:30–18:00" in page
    assert reverse("webcafe:public_register", args=[course.pk]) in page
    for language in ("fr", "de"):
        response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 200 and f'lang="{language}"' in response.content.decode()
    translation.activate("en")


def test_the_public_service_directory_links_the_communes_web_cafes(client, esch, venue):
    page = client.get(reverse("care:public_directory", args=[esch.code])).content.decode()
    assert reverse("webcafe:public_commune", args=[esch.code]) in page


def test_a_person_registers_without_an_account_and_a_full_course_puts_the_next_on_the_waiting_list(client, course):
    url = reverse("webcafe:public_register", args=[course.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, form_data(), follow=True).content.decode()
    assert "You are registered" in page
    registration = Registration.objects.get(enrolment__public_name="Irène Pfeiffer-Test")
    assert registration.channel == Channel.PUBLIC_PAGE and registration.consent_on
    assert registration.enrolment.status == EnrolmentStatus.ENROLLED
    assert registration.enrolment.public_phone == "+352621987654"
    page = client.post(url, form_data(name="Léon Barthel-Test"), follow=True).content.decode()
    assert "waiting list" in page
    assert Registration.objects.get(enrolment__public_name="Léon Barthel-Test").enrolment.status == (
        EnrolmentStatus.WAITING
    )


def test_a_registration_without_consent_or_with_a_bad_phone_is_shown_again_with_the_message(client, course):
    url = reverse("webcafe:public_register", args=[course.pk])
    response = client.post(url, form_data(consent=""))
    assert response.status_code == 422 and 'data-field-error="consent"' in response.content.decode()
    response = client.post(url, form_data(phone="12"))
    assert response.status_code == 422 and 'data-field-error="phone"' in response.content.decode()
    assert not Registration.objects.filter(course=course).exists()


@pytest.mark.parametrize("spam", [
    lambda: {"website": "http://cheap.example"},  # the honeypot
    lambda: {"started": aged_token(0)},  # faster than a person types
    lambda: {"started": aged_token(3 * 3600)},  # a stale token
    lambda: {"started": "forged"},
])  # fmt: skip
def test_spam_is_dropped_silently_with_the_same_page_as_a_person(client, course, spam):
    spam = spam()
    response = client.post(reverse("webcafe:public_register", args=[course.pk]), form_data(**spam), follow=True)
    assert response.status_code == 200
    assert "Your registration was received" in response.content.decode()
    assert not Registration.objects.filter(course=course).exists()


def test_beyond_the_rate_limit_an_address_is_dropped_silently(client, course):
    url = reverse("webcafe:public_register", args=[course.pk])
    for n in range(care_public.RATE_LIMIT):
        client.post(url, form_data(name=f"Person {n} Test"))
    response = client.post(url, form_data(name="One too many"), follow=True)
    assert response.status_code == 200 and "Your registration was received" in response.content.decode()
    assert not Registration.objects.filter(enrolment__public_name="One too many").exists()
    assert Registration.objects.filter(course=course).count() == care_public.RATE_LIMIT


def test_a_course_that_is_over_cannot_be_registered_for(client, venue):
    from moulin.webcafe.models import PublicCourse

    over = PublicCourse.objects.filter(session__end_date__lt=next_weekday(0, -30)).first()
    assert over is not None
    assert client.get(reverse("webcafe:public_register", args=[over.pk])).status_code == 404
