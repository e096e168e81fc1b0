"""The public pages of community care, open without signing in: a commune's service directory, its request
form, the confirmation with the reference number, and the one-time satisfaction survey.

The request form is protected against spam without an outside service: a honeypot field people never see, a
signed timing token (a form sent back faster than a person types, or hours later, is a robot's or stale), and a
rate limit per address. A spam submission is dropped silently: the sender sees the same confirmation page as a
person, without a reference number, and nothing is saved.
"""

import logging
import time

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View

from moulin.accounts.security import client_ip
from moulin.care import forms, services
from moulin.care.enums import BeneficiaryKind, Channel, SurveyChannel
from moulin.care.models import Beneficiary, ServiceType, Survey
from moulin.core.capabilities import collected
from moulin.core.views import add_errors
from moulin.territory.models import Commune

log = logging.getLogger(__name__)

TOKEN_SALT = "moulin.care.public-request"
#: a person needs at least this long to fill in the form; a token older than the maximum is stale
MIN_SECONDS, MAX_SECONDS = 3, 2 * 3600
#: submissions accepted per address and hour
RATE_LIMIT = 5


def timing_token() -> str:
    return signing.dumps(int(time.time()), salt=TOKEN_SALT)


def token_age(token: str) -> float | None:
    try:
        issued = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return time.time() - int(issued)


def over_rate_limit(request) -> bool:
    """Count the submission of this address in the current hour; true beyond ``RATE_LIMIT``."""
    key = f"care:public-request:{client_ip(request) or 'unknown'}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > RATE_LIMIT
    except ValueError:
        return False


def is_spam(request, form) -> bool:
    if request.POST.get("website"):
        return True
    age = token_age(request.POST.get("started", ""))
    if age is None or age < MIN_SECONDS or age > MAX_SECONDS:
        return True
    return over_rate_limit(request)


RECEIVED_SALT = "moulin.care.public-received"


@method_decorator(login_not_required, name="dispatch")
class Directory(View):
    """The services available in one commune: who offers what, how to ask, and the request form."""

    def get(self, request, code):
        commune = get_object_or_404(Commune, code=code)
        services_offered = (
            ServiceType.objects.offered_in(commune)
            .select_related("organisation")
            .order_by("service_line", "organisation__name", "name")
        )
        sections = [s for s in (section(commune) for section in collected("public_directory_sections")) if s]
        return render(request, "care/public/directory.html",
                      {"commune": commune, "services": services_offered, "sections": sections})  # fmt: skip


@method_decorator(login_not_required, name="dispatch")
class RequestFormPage(View):
    """A commune's public request form."""

    def get(self, request, code):
        commune = get_object_or_404(Commune, code=code)
        form = forms.PublicRequestForm(commune=commune, initial={"started": timing_token()})
        return self.page(request, commune, form)

    def page(self, request, commune, form, status=200):
        return render(request, "care/public/request_form.html", {"commune": commune, "form": form}, status=status)

    def post(self, request, code):
        commune = get_object_or_404(Commune, code=code)
        form = forms.PublicRequestForm(request.POST, commune=commune)
        if is_spam(request, form):
            log.info("public request form: spam dropped (%s)", commune.code)
            return HttpResponseRedirect(reverse("care:public_request_received"))
        if not form.is_valid():
            form.data = form.data.copy()
            form.data["started"] = timing_token()
            return self.page(request, commune, form, status=422)
        data = form.cleaned_data
        service = data["service_type"]
        try:
            with transaction.atomic():
                beneficiary = Beneficiary(
                    organisation=service.organisation, first_name=data["first_name"], last_name=data["last_name"],
                    kind=BeneficiaryKind.OTHER, address=data["address"], postcode=data["postcode"], commune=commune,
                    phone=data["phone"], email=data["email"], household_size=data["household_size"],
                    consent=True, consent_on=timezone.localdate(),
                )  # fmt: skip
                beneficiary.full_clean()
                beneficiary.save()
                made = services.record_request(
                    actor=None,
                    beneficiary=beneficiary,
                    service_type=service,
                    description=data["description"],
                    channel=Channel.PUBLIC_FORM,
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.page(request, commune, form, status=422)
        token = signing.dumps({"ref": made.reference, "status": made.status}, salt=RECEIVED_SALT)
        return HttpResponseRedirect(reverse("care:public_request_received") + f"?r={token}")


@method_decorator(login_not_required, name="dispatch")
class RequestReceived(View):
    """The confirmation: the reference number and what happens next (without one for a dropped submission)."""

    def get(self, request):
        found = None
        if request.GET.get("r"):
            try:
                found = signing.loads(request.GET["r"], salt=RECEIVED_SALT, max_age=24 * 3600)
            except signing.BadSignature:
                found = None
        return render(request, "care/public/request_received.html", {"found": found})


@method_decorator(login_not_required, name="dispatch")
class SurveyPage(View):
    """The one-time satisfaction survey: answered once, then the link only thanks."""

    def survey(self, token):
        survey = Survey.objects.select_related("request__service_type", "request__organisation").filter(token=token)
        survey = survey.first()
        if survey is None:
            raise Http404
        return survey

    def get(self, request, token):
        survey = self.survey(token)
        form = None if survey.is_answered else forms.PublicSurveyForm()
        return render(request, "care/public/survey.html", {"survey": survey, "form": form})

    def post(self, request, token):
        survey = self.survey(token)
        if survey.is_answered:
            return render(request, "care/public/survey.html", {"survey": survey, "form": None})
        form = forms.PublicSurveyForm(request.POST)
        if form.is_valid():
            try:
                services.answer_survey(survey, channel=SurveyChannel.LINK, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                survey.refresh_from_db()
                return render(request, "care/public/survey.html", {"survey": survey, "form": None, "thanks": True})
        return render(request, "care/public/survey.html", {"survey": survey, "form": form}, status=422)
