"""The community-care pages for signed-in users: catalogue, beneficiaries, requests, interventions, surveys."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from moulin.access.policy import ADD, VIEW
from moulin.access.querysets import policy_for
from moulin.care import forms, services
from moulin.care.enums import SurveyChannel
from moulin.care.models import (
    Beneficiary,
    CareSettings,
    Intervention,
    InterventionPhoto,
    Request,
    ServiceType,
    SocialTariff,
    Survey,
    WorkKind,
)
from moulin.core import persons
from moulin.core.capabilities import for_model
from moulin.core.forms import ConfirmForm
from moulin.core.pdf import render_pdf
from moulin.core.services import audit
from moulin.core.tables import Column
from moulin.core.views import (
    AdminSettingsView,
    ScopedActionView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from moulin.core.workflow import available_transitions

# --- catalogue ------------------------------------------------------------------------------------------------


class ServiceTypeList(ScopedListView):
    model = ServiceType
    title = gettext_lazy("Services")
    intro = gettext_lazy("The services of the network per service line, with the craft rules of one intervention.")
    filter_form_class = forms.ServiceFilterForm
    search_fields = ["name", "organisation__name"]
    default_sort = "name"
    export_name = "services"
    create_url_name = "care:service_create"
    select_related = ["organisation"]
    columns = [
        Column("name", gettext_lazy("Service"), sort="name", link=True),
        Column("service_line", gettext_lazy("Service line"), "get_service_line_display", sort="service_line"),
        Column("organisation", gettext_lazy("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("unit", gettext_lazy("Unit"), "get_unit_display"),
        Column("max_hours", gettext_lazy("Max. hours"), align="text-end", kind="number"),
        Column("max_material_value", gettext_lazy("Max. material (EUR)"), align="text-end", kind="money"),
        Column("is_active", gettext_lazy("Offered"), align="text-center"),
    ]  # fmt: skip


class ServiceResults(ScopedListView):
    """Requests and satisfaction per service and organisation: counts only, open to every role that counts them
    (the ministry included), each figure through ``counted_for``."""

    model = ServiceType
    title = gettext_lazy("Community care in figures")
    intro = gettext_lazy("Requests, referrals to craftsmen, completed interventions and satisfaction per service.")
    search_fields = ["name", "organisation__name"]
    default_sort = "organisation"
    export_name = "care-figures"
    select_related = ["organisation"]
    columns = [
        Column("organisation", gettext_lazy("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("name", gettext_lazy("Service"), sort="name"),
        Column("n_requests", gettext_lazy("Requests"), sort="n_requests", align="text-end"),
        Column("n_referred", gettext_lazy("Referred to craftsmen"), sort="n_referred", align="text-end"),
        Column("n_declined", gettext_lazy("Declined"), sort="n_declined", align="text-end"),
        Column("n_completed", gettext_lazy("Completed"), sort="n_completed", align="text-end"),
        Column("n_answers", gettext_lazy("Surveys answered"), sort="n_answers", align="text-end"),
        Column("satisfaction", gettext_lazy("Average satisfaction (1–5)"), sort="satisfaction", align="text-end",
               kind="number"),
        Column("n_recommend", gettext_lazy("Would recommend"), sort="n_recommend", align="text-end"),
    ]  # fmt: skip

    #: sorting on these needs them in the statement; otherwise the page's rows get them in a grouped query each
    COUNT_SORTS = frozenset({"n_requests", "n_referred", "n_declined", "n_completed"})
    SURVEY_SORTS = frozenset({"n_answers", "satisfaction", "n_recommend"})

    def get_queryset(self):
        qs = super().get_queryset()
        if not self.sorted_on(self.COUNT_SORTS | self.SURVEY_SORTS):
            return qs
        user = self.request.user
        return services.service_figures(qs, Request.objects.counted_for(user), Survey.objects.counted_for(user),
                                        with_surveys=self.sorted_on(self.SURVEY_SORTS))  # fmt: skip

    def prepare_rows(self, objects) -> None:
        user = self.request.user
        if missing := [service for service in objects if not hasattr(service, "n_requests")]:
            services.request_figures(missing, Request.objects.counted_for(user))
        if missing := [service for service in objects if not hasattr(service, "n_answers")]:
            services.survey_figures(missing, Survey.objects.counted_for(user))


class ServiceTypeDetail(ScopedDetailView):
    model = ServiceType
    template_name = "care/service_detail.html"

    def get_context(self, service):
        requests = Request.objects.visible_to(self.request.user).filter(service_type=service)
        return {
            "object": service,
            "service": service,
            "communes": service.communes.all(),
            "requests": requests.count(),
        }


class ServiceTypeCreate(ScopedFormView):
    model = ServiceType
    form_class = forms.ServiceTypeForm
    creating = True


class ServiceTypeUpdate(ScopedFormView):
    model = ServiceType
    form_class = forms.ServiceTypeForm


class WorkKindList(ScopedListView):
    model = WorkKind
    title = gettext_lazy("Kinds of work")
    intro = gettext_lazy("Work left to craftsmen is always referred, with its referral text.")
    search_fields = ["name", "keywords"]
    default_sort = "name"
    create_url_name = "care:work_kind_create"
    columns = [
        Column("name", gettext_lazy("Kind of work"), sort="name"),
        Column("excluded", gettext_lazy("Left to craftsmen"), align="text-center"),
        Column("keywords", gettext_lazy("Keywords")),
        Column("referral_text", gettext_lazy("Referral text")),
    ]


class WorkKindCreate(ScopedFormView):
    model = WorkKind
    form_class = forms.WorkKindForm
    creating = True


class SocialTariffList(ScopedListView):
    model = SocialTariff
    title = gettext_lazy("Social tariff")
    intro = gettext_lazy("Hourly prices by household monthly income and household size, per organisation.")
    search_fields = ["organisation__name"]
    default_sort = "organisation"
    create_url_name = "care:tariff_create"
    select_related = ["organisation"]
    columns = [
        Column("organisation", gettext_lazy("Organisation"), "organisation.display_name", sort="organisation__name",
               link=True),
        Column("household_size", gettext_lazy("Household (from)"), sort="household_size", align="text-end"),
        Column("income_from", gettext_lazy("Income from (EUR)"), sort="income_from", kind="money", align="text-end"),
        Column("income_to", gettext_lazy("Income below (EUR)"), kind="money", align="text-end"),
        Column("hourly_price", gettext_lazy("Hourly price (EUR)"), sort="hourly_price", kind="money",
               align="text-end"),
        Column("valid_from", gettext_lazy("Valid from"), sort="valid_from", kind="date"),
        Column("valid_until", gettext_lazy("Valid until"), kind="date"),
    ]  # fmt: skip


class SocialTariffCreate(ScopedFormView):
    model = SocialTariff
    form_class = forms.SocialTariffForm
    creating = True


class SocialTariffUpdate(ScopedFormView):
    model = SocialTariff
    form_class = forms.SocialTariffForm


# --- beneficiaries --------------------------------------------------------------------------------------------


class BeneficiaryList(ScopedListView):
    model = Beneficiary
    title = gettext_lazy("Beneficiaries")
    intro = gettext_lazy("The people the community-care services help at home.")
    filter_form_class = forms.BeneficiaryFilterForm
    search_fields = ["last_name", "first_name", "address"]
    default_sort = "last_name"
    paginate_by = 50
    export_name = "beneficiaries"
    create_url_name = "care:beneficiary_create"
    select_related = ["organisation", "commune"]
    columns = [
        Column("last_name", gettext_lazy("Name"), str, sort="last_name", link=True),
        Column("kind", gettext_lazy("Kind"), "get_kind_display", sort="kind"),
        Column("commune", gettext_lazy("Commune"), "commune.name", sort="commune__name"),
        Column("household_size", gettext_lazy("Household"), sort="household_size", align="text-end"),
        Column("organisation", gettext_lazy("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("income", gettext_lazy("Income band"), lambda b: b.income_problem() or _("documented")),
    ]  # fmt: skip


class BeneficiaryDetail(ScopedDetailView):
    model = Beneficiary
    template_name = "care/beneficiary_detail.html"

    def get_context(self, beneficiary):
        requests = (
            Request.objects.visible_to(self.request.user)
            .filter(beneficiary=beneficiary)
            .select_related("service_type")
            .order_by("-received_on", "-pk")
        )
        return {
            "object": beneficiary,
            "beneficiary": beneficiary,
            "income_problem": beneficiary.income_problem(),
            "requests": requests,
            "can_add_request": beneficiary.anonymised_at is None
            and policy_for(Request).can(self.scope, ADD, beneficiary),
            "can_erase": beneficiary.anonymised_at is None and policy_for(Beneficiary).can_erase(self.scope),
        }


class BeneficiaryAccessExportJson(ScopedDetailView):
    """Everything held on the beneficiary (GDPR art. 15), as JSON; the reading is audited."""

    model = Beneficiary

    def get(self, request, *args, **kwargs):
        beneficiary = self.get_object()
        persons.view_record(beneficiary, actor=request.user, part="access export (JSON)")
        data = services.beneficiary_export(beneficiary, request.user)
        return persons.json_export(data, filename=f"access-export-{str(beneficiary.public_id)[:8]}.json")


class BeneficiaryAccessExportPdf(ScopedDetailView):
    """The same access export as a PDF, each field under its label in the reader's language."""

    model = Beneficiary

    def get(self, request, *args, **kwargs):
        beneficiary = self.get_object()
        persons.view_record(beneficiary, actor=request.user, part="access export (PDF)")
        data = services.beneficiary_export(beneficiary, request.user)
        context = {"beneficiary": beneficiary, "data": data, "generated": timezone.localtime(),
                   "labelled": persons.labelled(data, services.beneficiary_export_sections())}  # fmt: skip
        return render_pdf(request, "care/access_export_pdf.html", context,
                          filename=f"access-export-{str(beneficiary.public_id)[:8]}.pdf")  # fmt: skip


class BeneficiaryErase(ScopedActionView):
    """An erasure request: the beneficiary is anonymised at once (network staff only)."""

    model = Beneficiary
    form_class = ConfirmForm
    template_name = "care/beneficiary_erase_confirm.html"
    title = gettext_lazy("Erase this person's data")

    def check_object(self, obj):
        if not policy_for(Beneficiary).can_erase(self.scope):
            raise PermissionDenied(_("Only network administrators and network staff erase a person's data."))
        if obj.anonymised_at:
            raise PermissionDenied(_("This record is already anonymised."))

    def perform(self, form):
        self.object = services.erase_beneficiary(self.object, actor=self.request.user)
        return _("Erased: %(thing)s.") % {"thing": self.object}


class CareSettingsView(AdminSettingsView):
    model = CareSettings
    form_class = forms.CareSettingsForm
    title = gettext_lazy("Community-care settings")
    refused_message = gettext_lazy("Only network administrators change the community-care settings.")
    list_url_name = "care:beneficiary_list"


class BeneficiaryCreate(ScopedFormView):
    model = Beneficiary
    form_class = forms.BeneficiaryForm
    creating = True


class BeneficiaryUpdate(ScopedFormView):
    model = Beneficiary
    form_class = forms.BeneficiaryForm


# --- requests -------------------------------------------------------------------------------------------------


class RequestList(ScopedListView):
    model = Request
    title = gettext_lazy("Requests")
    intro = gettext_lazy("Requests for community care, checked against the craft rules when they are taken.")
    filter_form_class = forms.RequestFilterForm
    search_fields = ["reference", "description", "beneficiary__last_name"]
    default_sort = "-received_on"
    paginate_by = 50
    export_name = "requests"
    select_related = ["service_type", "commune", "beneficiary", "organisation"]
    columns = [
        Column("reference", gettext_lazy("Reference"), sort="reference", link=True),
        Column("received_on", gettext_lazy("Received"), sort="received_on", kind="date"),
        Column("beneficiary", gettext_lazy("Beneficiary"), "beneficiary.__str__", sort="beneficiary__last_name"),
        Column("service_type", gettext_lazy("Service"), "service_type.name", sort="service_type__name"),
        Column("commune", gettext_lazy("Commune"), "commune.name", sort="commune__name"),
        Column("channel", gettext_lazy("Taken"), "get_channel_display", sort="channel"),
        Column("status", gettext_lazy("Status"), "get_status_display", sort="status"),
    ]  # fmt: skip


class RequestDetail(ScopedDetailView):
    model = Request
    template_name = "care/request_detail.html"

    def get_context(self, request_obj):
        user = self.request.user
        beneficiary = request_obj.beneficiary
        shows = policy_for(Beneficiary).can(self.scope, VIEW, beneficiary)
        if shows:
            self.note_read(beneficiary)
        intervention = Intervention.objects.visible_to(user).filter(request=request_obj).select_related("team").first()
        survey = Survey.objects.visible_to(user).filter(request=request_obj).first()
        moves = {t.name for t in available_transitions(user, request_obj)}
        return {
            "object": request_obj,
            "req": request_obj,
            "beneficiary": beneficiary if shows else None,
            "intervention": intervention,
            "survey": survey,
            "survey_url": self.request.build_absolute_uri(reverse("care:public_survey", args=[survey.token]))
            if survey is not None else "",
            "can_decline": "decline" in moves,
            "can_cancel": "cancel" in moves,
            "can_schedule": request_obj.status == "accepted" and policy_for(Intervention).can(self.scope, ADD,
                                                                                             request_obj),
            "can_record_survey": survey is not None and not survey.is_answered
            and policy_for(Survey).can(self.scope, "change", survey),
        }  # fmt: skip


class RequestCreate(ScopedFormView):
    """Take a request for a beneficiary by phone or at the counter."""

    model = Request
    form_class = forms.RequestForm
    creating = True
    parent_model = Beneficiary
    parent_lookup = "pk"
    parent_url_kwarg = "pk"

    def save(self, form):
        data = form.cleaned_data
        request = services.record_request(
            actor=self.request.user, beneficiary=self.parent, service_type=data["service_type"],
            description=data["description"], channel=data["channel"], work_kind=data.get("work_kind"),
            estimated_hours=data.get("estimated_hours"),
            estimated_material_value=data.get("estimated_material_value"), received_on=data.get("received_on"),
        )  # fmt: skip
        self.object = request
        return request

    def get_success_message(self):
        return _("Request %(reference)s: %(status)s.") % {"reference": self.object.reference,
                                                          "status": self.object.get_status_display()}  # fmt: skip


class RequestDecline(ScopedActionView):
    model = Request
    form_class = forms.ReasonForm
    title = gettext_lazy("Decline the request")

    def perform(self, form):
        services.decline_request(self.object, actor=self.request.user, reason=form.cleaned_data["reason"])
        return _("Request %(reference)s declined.") % {"reference": self.object.reference}


class RequestCancel(ScopedActionView):
    model = Request
    form_class = forms.CancelForm
    title = gettext_lazy("Cancel the request")

    def perform(self, form):
        services.cancel_request(self.object, actor=self.request.user, reason=form.cleaned_data["reason"])
        return _("Request %(reference)s cancelled.") % {"reference": self.object.reference}


# --- interventions --------------------------------------------------------------------------------------------


class InterventionList(ScopedListView):
    model = Intervention
    title = gettext_lazy("Interventions")
    intro = gettext_lazy("The visits planned and done for accepted requests.")
    search_fields = ["request__reference", "team__name"]
    default_sort = "-date"
    paginate_by = 50
    export_name = "interventions"
    select_related = ["request__service_type", "request__commune", "request__beneficiary", "team"]
    columns = [
        Column("date", gettext_lazy("Date"), sort="date", link=True, kind="date"),
        Column("request", gettext_lazy("Request"), "request.reference", sort="request__reference"),
        Column("service", gettext_lazy("Service"), "request.service_type.name"),
        Column("commune", gettext_lazy("Commune"), "request.commune.name"),
        Column("team", gettext_lazy("Team"), "team.name", sort="team__name"),
        Column("planned_hours", gettext_lazy("Planned hours"), align="text-end", kind="number"),
        Column("hours", gettext_lazy("Hours worked"), align="text-end", kind="number"),
        Column("completed_on", gettext_lazy("Completed"), sort="completed_on", kind="date"),
    ]  # fmt: skip


class InterventionDetail(ScopedDetailView):
    model = Intervention
    template_name = "care/intervention_detail.html"

    def get_context(self, intervention):
        photo = InterventionPhoto.objects.visible_to(self.request.user).filter(intervention=intervention).first()
        return {
            "object": intervention,
            "intervention": intervention,
            "req": intervention.request,
            "beneficiary": intervention.request.beneficiary,
            "photo": photo,
            # the price reveals the household's income band: only for those who read the beneficiary
            "charge": services.charge_for(intervention)
            if policy_for(Beneficiary).can(self.scope, VIEW, intervention.request.beneficiary) else None,
            "can_complete": intervention.completed_on is None
            and policy_for(Intervention).can(self.scope, "change", intervention),
            "sections": [section for fn in for_model("record_sections", "care.Intervention")
                         if (section := fn(intervention, self.request.user))],
        }  # fmt: skip


class InterventionCreate(ScopedFormView):
    """Schedule an accepted request: the team, the day and the hours planned."""

    model = Intervention
    form_class = forms.InterventionForm
    creating = True
    parent_model = Request
    parent_lookup = "pk"
    parent_url_kwarg = "pk"
    title = gettext_lazy("Schedule the intervention")

    def parent_field_name(self):
        return "request"

    def save(self, form):
        data = form.cleaned_data
        return services.schedule(self.parent, actor=self.request.user, team=data["team"], date=data["date"],
                                 planned_hours=data["planned_hours"])  # fmt: skip


class InterventionComplete(ScopedActionView):
    model = Intervention
    form_class = forms.CompletionForm
    title = gettext_lazy("Complete the intervention")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.setdefault("initial", {"completed_on": timezone.localdate(), "hours": self.object.planned_hours})
        kwargs["intervention"] = self.object
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        services.complete_intervention(
            self.object, actor=self.request.user, hours=data["hours"], on=data["completed_on"],
            materials=data["materials"], material_value=data["material_value"], note=data["note"],
            photo=data.get("photo"), worker=data.get("worker"),
        )  # fmt: skip
        return _("Intervention completed; the satisfaction survey is open.")


class InterventionPhotoDownload(ScopedDetailView):
    """The photo of the work done, served only to those who read the intervention."""

    model = InterventionPhoto

    def get(self, request, *args, **kwargs):
        photo = self.get_object()
        if not photo.image:
            raise Http404
        audit(actor=request.user, action="view", obj=photo, detail={"file": "photo"})
        response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
        response["Content-Disposition"] = "inline"
        response["Cache-Control"] = "no-store"
        return response


# --- surveys --------------------------------------------------------------------------------------------------


class SurveyList(ScopedListView):
    model = Survey
    title = gettext_lazy("Satisfaction surveys")
    template_name = "care/survey_list.html"
    default_sort = "-sent_on"
    paginate_by = 50
    search_fields = ["request__reference"]
    select_related = ["request__service_type", "request__organisation", "request__beneficiary"]
    columns = [
        Column("request", gettext_lazy("Request"), "request.reference", sort="request__reference", link=True),
        Column("service", gettext_lazy("Service"), "request.service_type.name"),
        Column("sent_on", gettext_lazy("Sent"), sort="sent_on", kind="date"),
        Column("answered_on", gettext_lazy("Answered"), sort="answered_on", kind="date"),
        Column("channel", gettext_lazy("How"), "get_channel_display"),
        Column("satisfaction", gettext_lazy("Satisfaction"), sort="satisfaction", align="text-end"),
    ]  # fmt: skip

    def extra_context(self):
        return {"results": services.survey_results(Survey.objects.counted_for(self.request.user))}


class SurveyRecord(ScopedActionView):
    """Record the answer given by phone."""

    model = Survey
    form_class = forms.PhoneSurveyForm
    title = gettext_lazy("Record the survey answered by phone")

    def perform(self, form):
        services.answer_survey(self.object, actor=self.request.user, channel=SurveyChannel.PHONE, **form.cleaned_data)
        return _("Survey recorded.")
