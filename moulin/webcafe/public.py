"""The public pages of the web cafés, open without signing in: a commune's web cafés with this week's opening
hours and the upcoming courses, the registration form of a course, and its confirmation.

The registration form is protected against spam by the mechanism of the public request form of community care
(``moulin.care.public.is_spam``: a honeypot field, a signed timing token, a rate limit per address), reused, not
copied. A spam submission is dropped silently: the sender sees the same confirmation page as a person, without
the course's details, and nothing is saved.
"""

import datetime
import logging

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View

from moulin.care.public import is_spam, timing_token
from moulin.core.views import add_errors
from moulin.territory.models import Commune
from moulin.training.enums import EnrolmentStatus
from moulin.webcafe import forms, services
from moulin.webcafe.enums import Channel
from moulin.webcafe.models import Closure, OpeningSlot, PublicCourse, Venue

log = logging.getLogger(__name__)

REGISTERED_SALT = "moulin.webcafe.public-registered"
#: how far ahead the public page lists courses
COURSES_AHEAD_DAYS = 120


def public_venues(commune):
    """The open web cafés of a commune, with their opening hours and coming closures (three queries)."""
    today = timezone.localdate()
    return (
        Venue.objects.active()
        .in_commune(commune)
        .select_related("premises", "organisation")
        .prefetch_related(
            Prefetch("slots", queryset=OpeningSlot.objects.order_by("weekday", "opens")),
            Prefetch("closures", queryset=Closure.objects.filter(last_day__gte=today).order_by("first_day")),
        )
        .order_by("name")
    )


def public_courses(venues, today=None):
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=COURSES_AHEAD_DAYS)
    return (
        PublicCourse.objects.filter(venue__in=venues, session__end_date__gte=today, session__start_date__lte=last)
        .with_counts()
        .select_related("session__course", "venue")
        .order_by("session__start_date", "starts_at", "pk")
    )


@method_decorator(login_not_required, name="dispatch")
class CommunePage(View):
    """A commune's web cafés: where, when they are open this week, what they offer, and the coming courses."""

    def get(self, request, code):
        commune = get_object_or_404(Commune, code=code)
        today = timezone.localdate()
        first, last = services.week_of(today)
        venues = list(public_venues(commune))
        for venue in venues:
            venue.week = services.opening_days(venue, first, last, slots=venue.slots.all(),
                                               closures=venue.closures.all())  # fmt: skip
        courses = list(public_courses(venues, today))
        return render(request, "webcafe/public/commune.html",
                      {"commune": commune, "venues": venues, "courses": courses, "today": today})  # fmt: skip


def _open_course(pk):
    today = timezone.localdate()
    qs = PublicCourse.objects.filter(venue__is_active=True, session__end_date__gte=today).with_counts()
    return get_object_or_404(qs.select_related("session__course", "venue__premises__commune"), pk=pk)


@method_decorator(login_not_required, name="dispatch")
class RegisterPage(View):
    """The registration form of a course, for the public."""

    def get(self, request, pk):
        course = _open_course(pk)
        form = forms.PublicRegistrationForm(initial={"started": timing_token()})
        return self.page(request, course, form)

    def page(self, request, course, form, status=200):
        return render(request, "webcafe/public/register.html", {"course": course, "form": form}, status=status)

    def post(self, request, pk):
        course = _open_course(pk)
        form = forms.PublicRegistrationForm(request.POST)
        if is_spam(request, form):
            log.info("public course registration: spam dropped (course %s)", course.pk)
            return HttpResponseRedirect(reverse("webcafe:public_registered"))
        if not form.is_valid():
            form.data = form.data.copy()
            form.data["started"] = timing_token()
            return self.page(request, course, form, status=422)
        data = form.cleaned_data
        try:
            registration = services.register(course=course, name=data["name"], phone=data["phone"],
                                             email=data.get("email", ""), consent=data["consent"],
                                             channel=Channel.PUBLIC_PAGE, actor=None)  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
            return self.page(request, course, form, status=422)
        token = signing.dumps(
            {"course": registration.course_id,
             "waiting": registration.enrolment.status == EnrolmentStatus.WAITING}, salt=REGISTERED_SALT,
        )  # fmt: skip
        return HttpResponseRedirect(reverse("webcafe:public_registered") + f"?r={token}")


@method_decorator(login_not_required, name="dispatch")
class Registered(View):
    """The confirmation: the course, its days and hours, and whether the person has a place or waits (nothing
    for a dropped submission)."""

    def get(self, request):
        found, course = None, None
        if request.GET.get("r"):
            try:
                found = signing.loads(request.GET["r"], salt=REGISTERED_SALT, max_age=24 * 3600)
            except signing.BadSignature:
                found = None
        if found:
            course = (
                PublicCourse.objects.filter(pk=found["course"])
                .select_related("session__course", "venue__premises__commune")
                .first()
            )
        return render(request, "webcafe/public/registered.html", {"found": found, "course": course})
