"""Pages of the worker pathway, all derived from the scoped generic views (so ``tests/test_scope.py`` walks
them). Every read of a participant's record writes an AuditEvent (``services.view_record``)."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View

from moulin.access.policy import ADD, CHANGE
from moulin.access.querysets import policy_for
from moulin.core.models import AuditEvent
from moulin.core.tables import Column
from moulin.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedMixin, ScopedObjectMixin
from moulin.organisations.models import Organisation
from moulin.participants import enums, forms, services
from moulin.participants.figures import pathway_figures
from moulin.participants.models import (
    CoachingSession,
    EmploymentContract,
    EmploymentMeasure,
    EntryData,
    Exit,
    FollowUp,
    Intake,
    Participant,
    PathwaySettings,
    PlanAction,
    PlanGoal,
    PlanObstacle,
    PlanReview,
    Referral,
    SensitiveData,
)
from moulin.participants.policies import ParticipantPolicy
from moulin.participants.timeline import build_timeline, summary_sections
from moulin.participants.validators import add_months

PEOPLE_CRUMB = (_("Participants"), reverse_lazy("participants:list"))
POLICY = ParticipantPolicy()


# --- lists ---------------------------------------------------------------------------------------


class ParticipantList(ScopedListView):
    model = Participant
    title = _("Participants")
    intro = _("The people on a pathway with the network: referred, waiting, in employment, left and followed up.")
    filter_form_class = forms.ParticipantFilterForm
    search_fields = ["first_name", "last_name", "jobseeker_number"]
    default_sort = "name"
    export_name = "participants"
    create_url_name = "participants:refer"
    select_related = ["organisation", "coach"]
    full_columns = [
        Column("name", _("Name"), "display_name", sort="last_name", link=True),
        Column("organisation", _("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("status", _("Status"), sort="status"),
        Column("coach", _("Coach"), "coach", sort="coach__full_name"),
        Column("referred", _("First referred"), "first_referred_on", sort="first_referred_on"),
        Column("jobseeker_number", _("ADEM number"), sort="jobseeker_number"),
    ]
    minimal_columns = [
        Column("name", _("Name"), "display_name", sort="last_name", link=True),
        Column("organisation", _("Organisation"), "organisation.display_name", sort="organisation__name"),
    ]

    @property
    def columns(self):
        return self.full_columns if POLICY.lists_full(self.scope) else self.minimal_columns

    def get_filter_form(self):
        # a team leader's minimal list offers no filter on the pathway (status would tell it)
        return super().get_filter_form() if self.columns is self.full_columns else None

    def get_queryset(self):
        return super().get_queryset().active()

    def get_breadcrumbs(self):
        return [(_("Participants"), "")]


class WaitingList(ParticipantList):
    title = _("Waiting list")
    intro = _("People interviewed and waiting for a job, per organisation, longest wait first.")
    export_name = "waiting-list"
    default_sort = "waiting_since"
    full_columns = [
        Column("name", _("Name"), "display_name", sort="last_name", link=True),
        Column("organisation", _("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("waiting_since", _("Waiting since"), "waiting_since", sort="waiting_since"),
        Column("coach", _("Coach"), "coach", sort="coach__full_name"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if self.columns is self.minimal_columns:
            raise PermissionDenied(gettext("The waiting list is kept by the coaches and managers."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset().filter(status=enums.PathwayStatus.WAITING)
        return qs.annotate(waiting_since=Max("intakes__date")).order_by("waiting_since", "pk")

    def get_breadcrumbs(self):
        return [PEOPLE_CRUMB, (_("Waiting list"), "")]


class ContractList(ScopedListView):
    model = EmploymentContract
    title = _("Employment contracts")
    filter_form_class = forms.ContractFilterForm
    search_fields = ["participant__first_name", "participant__last_name", "project__name", "team__name"]
    default_sort = "-start"
    export_name = "employment-contracts"
    select_related = ["participant", "organisation", "measure", "project", "team"]
    columns = [
        Column("worker", _("Worker"), "participant.display_name", sort="participant__last_name", link=True),
        Column("organisation", _("Employer"), "organisation.display_name", sort="organisation__name"),
        Column("project", _("Project"), "project.name", sort="project__name"),
        Column("team", _("Team"), "team.name", sort="team__name"),
        Column("measure", _("Measure"), "measure.code", sort="measure__code"),
        Column("contract_type", _("Type"), sort="contract_type"),
        Column("start", _("Start"), sort="start"),
        Column("last_day", _("Ends"), "last_day", sort="last_day"),
        Column("weekly_hours", _("Hours/week"), align="text-end", kind="number"),
    ]

    def get_breadcrumbs(self):
        return [PEOPLE_CRUMB, (_("Employment contracts"), "")]


def _record_link(follow_up):
    if follow_up.done_on:
        return ""
    url = reverse("participants:follow_up_record", args=[follow_up.pk])
    return format_html('<a href="{}">{}</a>', url, gettext("Record"))


class FollowUpList(ScopedListView):
    model = FollowUp
    title = _("Six-month follow-ups")
    intro = _("Scheduled six months after each exit; a task for the coach until the situation is recorded.")
    search_fields = ["participant__first_name", "participant__last_name"]
    default_sort = "due_on"
    export_name = "follow-ups"
    select_related = ["participant", "participant__organisation", "exit"]
    columns = [
        Column("participant", _("Person"), "participant.display_name", sort="participant__last_name", link=True),
        Column("organisation", _("Organisation"), "participant.organisation.display_name"),
        Column("exit", _("Exit"), "exit.date", sort="exit__date"),
        Column("due_on", _("Due"), sort="due_on"),
        Column("done_on", _("Recorded"), sort="done_on"),
        Column("situation", _("Situation"), sort="situation"),
        Column("record", _("Action"), lambda f: _record_link(f), export=False),
    ]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.request.GET.get("show") != "all":
            qs = qs.filter(done_on__isnull=True, due_on__lte=add_months(timezone.localdate(), 1))
        return qs

    def get_breadcrumbs(self):
        return [PEOPLE_CRUMB, (_("Six-month follow-ups"), "")]


class MeasureList(ScopedListView):
    model = EmploymentMeasure
    title = _("Employment measures")
    intro = _("The measures contracts are concluded under, with the maximum a worker may spend under each.")
    search_fields = ["code", "name", "name_local"]
    default_sort = "code"
    export_name = "employment-measures"
    columns = [
        Column("code", _("Code"), sort="code"),
        Column("name", _("Name"), "display_name", sort="name"),
        Column("name_local", _("Official name")),
        Column("max_months", _("Maximum (months)"), sort="max_months", align="text-end"),
        Column("is_active", _("In use")),
    ]

    def get_breadcrumbs(self):
        return [PEOPLE_CRUMB, (_("Employment measures"), "")]


# --- the worker's page ---------------------------------------------------------------------------


def pathway_records(participant, user):
    """Everything on a participant's page, read through the policies, one query per family."""
    scope = user.scope
    pid = participant.pk
    notes = POLICY.can_read_notes(scope, participant)
    sessions = list(CoachingSession.objects.visible_to(user).filter(participant_id=pid).select_related("coach"))
    if not notes:
        for s in sessions:
            s.notes = ""
    sensitive = None
    if POLICY.can_read_sensitive(scope, participant):
        sensitive = SensitiveData.objects.visible_to(user).filter(participant_id=pid).first()
    return {
        "referrals": list(Referral.objects.visible_to(user).filter(participant_id=pid).select_related("organisation")),
        "intakes": list(Intake.objects.visible_to(user).filter(participant_id=pid).select_related("coach")),
        "contracts": list(
            EmploymentContract.objects.visible_to(user)
            .filter(participant_id=pid)
            .select_related("measure", "project", "team", "organisation")
        ),
        "entry_data": EntryData.objects.visible_to(user).filter(participant_id=pid).first(),
        "sensitive": sensitive,
        "obstacles": list(PlanObstacle.objects.visible_to(user).filter(participant_id=pid)),
        "goals": list(PlanGoal.objects.visible_to(user).filter(participant_id=pid)),
        "actions": list(
            PlanAction.objects.visible_to(user).filter(participant_id=pid).select_related("owner", "goal")
        ),
        "reviews": list(PlanReview.objects.visible_to(user).filter(participant_id=pid).select_related("coach")),
        "sessions": sessions,
        "exits": list(Exit.objects.visible_to(user).filter(participant_id=pid)),
        "follow_ups": list(FollowUp.objects.visible_to(user).filter(participant_id=pid)),
        "can_read_notes": notes,
        "can_read_sensitive": sensitive is not None or POLICY.can_read_sensitive(scope, participant),
    }


class ParticipantObjectMixin:
    model = Participant
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"

    def get_breadcrumbs(self):
        obj = getattr(self, "object", None)
        crumbs = [PEOPLE_CRUMB]
        if obj is not None and POLICY.can_read_full(self.scope, obj):
            crumbs.append((obj.display_name, obj.get_absolute_url()))
        return crumbs


class ParticipantDetail(ParticipantObjectMixin, ScopedDetailView):
    template_name = "participants/participant_detail.html"

    def get_breadcrumbs(self):
        return [PEOPLE_CRUMB, (self.object.display_name, "")]

    def get_context(self, participant):
        user = self.request.user
        scope = self.scope
        full = POLICY.can_read_full(scope, participant)
        services.view_record(participant, actor=user, part="page" if full else "minimal")
        if not full:
            self.template_name = "participants/participant_minimal.html"
            contracts = EmploymentContract.objects.visible_to(user).filter(participant=participant)
            return {
                "object": participant,
                "participant": participant,
                "contracts": contracts.current().select_related("project", "team"),
            }
        records = pathway_records(participant, user)
        today = timezone.localdate()
        policy = policy_for(PlanAction)
        return {
            "object": participant,
            "participant": participant,
            "today": today,
            "soon": add_months(today, 2),
            **records,
            "timeline": build_timeline(participant, user, records=records),
            "can_write": policy.can(scope, ADD, participant),
            "can_merge": POLICY.can_merge(scope),
            "can_erase": POLICY.can_erase(scope),
            "can_export": full,
            "merged_records": participant.merged_records.all(),
        }


class ParticipantUpdate(ParticipantObjectMixin, ScopedFormView):
    form_class = forms.ParticipantForm

    def get_title(self):
        return gettext("Edit %(thing)s") % {"thing": self.object.display_name}


class ServiceFormMixin:
    """Writes through a pathway service; a rule broken there shows next to its field (nothing saved)."""

    def post(self, request, *args, **kwargs):
        self.prepare()
        form = self.form_class(**self.get_form_kwargs())
        if form.is_valid():
            try:
                self.object = self.save(form)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, self.success_message or gettext("Saved: %(thing)s.") % {"thing": self.object}
                )
                return HttpResponseRedirect(self.get_success_url())
        messages.error(request, gettext("Please correct the fields marked below: nothing was saved."))
        return self.render_form(form, status=422)


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ReferView(ServiceFormMixin, ScopedFormView):
    """Refer a person: a new record, or — when they are already known — a new referral on their record."""

    model = Participant
    form_class = forms.ReferralForm
    creating = True
    template_name = "participants/refer_form.html"
    title = _("Refer a person")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def get_cancel_url(self):
        return reverse("participants:list")

    def get_breadcrumbs(self):
        return [PEOPLE_CRUMB, (_("Refer a person"), "")]

    def save(self, form):
        data = form.cleaned_data
        referral = services.refer(
            actor=self.request.user,
            person=form.person(),
            organisation=data["organisation"],
            date=data["date"],
            source=data["source"],
            referrer=data["referrer"],
            attach_to=form.attach_to,
        )
        return referral.participant

    def render_form(self, form, status=200):
        response = super().render_form(form, status)
        response.context_data["duplicates"] = getattr(form, "duplicates", [])
        return response


# --- records under a participant -----------------------------------------------------------------


class ChildMixin:
    parent_model = Participant
    parent_lookup = "public_id"
    parent_url_kwarg = "public_id"

    def get_breadcrumbs(self):
        person = self.parent if getattr(self, "parent", None) is not None else self.object.participant
        return [PEOPLE_CRUMB, (person.display_name, person.get_absolute_url()), (self.get_title(), "")]

    def get_cancel_url(self):
        person = self.parent if getattr(self, "parent", None) is not None else self.object.participant
        return person.get_absolute_url()

    def get_success_url(self):
        return self.get_cancel_url()


def child_views(model, form_class, save=None, with_update=True):
    attrs = {"model": model, "form_class": form_class}
    if save is not None:
        attrs["save"] = save
    create = type(
        f"{model.__name__}Create", (ChildMixin, ServiceFormMixin, ScopedFormView), {**attrs, "creating": True}
    )
    update = None
    if with_update:
        update = type(f"{model.__name__}Update", (ChildMixin, ServiceFormMixin, ScopedFormView), attrs)
    return create, update


def _save_intake(self, form):
    return services.record_intake(actor=self.request.user, intake=form.instance)


def _save_contract(self, form):
    return services.save_contract(actor=self.request.user, contract=form.instance, changed=form.changed_data)


def _save_exit(self, form):
    return services.record_exit(actor=self.request.user, exit=form.instance)


class IntakeCreate(child_views(Intake, forms.IntakeForm, _save_intake, with_update=False)[0]):
    def get_success_url(self):
        """An intake that decides to hire leads to the contracts card, which offers the contract form first."""
        if self.object.outcome == enums.IntakeOutcome.HIRE:
            return self.object.participant.get_absolute_url() + "#contracts"
        return super().get_success_url()


ContractCreate, ContractUpdate = child_views(EmploymentContract, forms.ContractForm, _save_contract)
ObstacleCreate, ObstacleUpdate = child_views(PlanObstacle, forms.ObstacleForm)
GoalCreate, GoalUpdate = child_views(PlanGoal, forms.GoalForm)
ActionCreate, ActionUpdate = child_views(PlanAction, forms.ActionForm)
ReviewCreate, _unused = child_views(PlanReview, forms.ReviewForm, with_update=False)
SessionCreate, SessionUpdate = child_views(CoachingSession, forms.SessionForm)
ExitCreate, ExitUpdate = child_views(Exit, forms.ExitForm, _save_exit)


class ContractCreateMixin:
    def new_instance(self, parent):
        instance = super().new_instance(parent)
        instance.organisation = parent.organisation
        return instance


ContractCreate = type("EmploymentContractCreate", (ContractCreateMixin, ContractCreate), {})


class OneToOneEdit(ChildMixin, ServiceFormMixin, ScopedFormView):
    """Create-or-update of a one-to-one record (entry data, sensitive data) from the participant's address."""

    creating = True

    def parent_field_name(self):
        return "participant"

    def new_instance(self, parent):
        existing = self.model._default_manager.filter(participant=parent).first()
        return existing or self.model(participant=parent)

    def prepare(self):
        super().prepare()
        if self.object.pk and not self.policy().can(self.scope, CHANGE, self.object):
            raise PermissionDenied(gettext("You may read this record but not change it."))


class EntryDataEdit(OneToOneEdit):
    model = EntryData
    form_class = forms.EntryDataForm
    title = _("ESF+ entry data")


class SensitiveDataEdit(OneToOneEdit):
    model = SensitiveData
    form_class = forms.SensitiveDataForm
    title = _("Sensitive ESF+ data (with consent)")

    def get_success_url(self):
        return self.get_cancel_url() + "#sensitive"


class RenewContract(ServiceFormMixin, ScopedFormView):
    model = EmploymentContract
    form_class = forms.RenewForm
    title = _("Renew the contract")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def get_breadcrumbs(self):
        person = self.object.participant
        return [PEOPLE_CRUMB, (person.display_name, person.get_absolute_url()), (self.get_title(), "")]

    def save(self, form):
        data = form.cleaned_data
        return services.renew_contract(
            actor=self.request.user,
            contract=self.object,
            new_end=data["planned_end"],
            weekly_hours=data["weekly_hours"],
            exceeds_maximum=data["exceeds_maximum"],
            exception_reason=data["exception_reason"],
        )


class EndContract(RenewContract):
    form_class = forms.EndContractForm
    title = _("End the contract early")

    def save(self, form):
        data = form.cleaned_data
        return services.end_contract_early(
            actor=self.request.user, contract=self.object, ended_on=data["ended_on"], reason=data["end_reason"]
        )


class FollowUpRecord(ServiceFormMixin, ScopedFormView):
    model = FollowUp
    form_class = forms.FollowUpForm
    title = _("Record the six-month follow-up")

    def get_breadcrumbs(self):
        person = self.object.participant
        return [PEOPLE_CRUMB, (person.display_name, person.get_absolute_url()), (self.get_title(), "")]

    def save(self, form):
        return services.record_follow_up(actor=self.request.user, follow_up=form.instance)


# --- documents: exit summary, access export ------------------------------------------------------


class ParticipantDocument(ParticipantObjectMixin, ScopedObjectMixin):
    """A document about one person: only for those who read the full record; its reading is audited."""

    part = ""

    def check_object(self, obj):
        if not POLICY.can_read_full(self.scope, obj):
            raise PermissionDenied(gettext("Your role does not give access to this document."))

    def context(self, participant):
        user = self.request.user
        records = pathway_records(participant, user)
        timeline = build_timeline(participant, user, records=records)
        return {
            "participant": participant,
            **records,
            "timeline": timeline,
            "training": [e for e in timeline if e.kind in ("training", "certificate")],
            "skills": [e for e in timeline if e.kind == "skill"],
            "sections": summary_sections(participant, user),
            "generated": timezone.localtime(),
        }


class ExitSummaryPdf(ParticipantDocument, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        from moulin.participants.pdf import render_pdf

        participant = self.get_object()
        services.view_record(participant, actor=request.user, part="exit summary")
        context = self.context(participant)
        context["last_exit"] = context["exits"][0] if context["exits"] else None
        return render_pdf(request, "participants/exit_summary_pdf.html", context,
                          filename=f"exit-summary-{str(participant.public_id)[:8]}.pdf")  # fmt: skip


CONTRACT_FIELDS = ["organisation", "project", "team", "contract_type", "measure", "start", "planned_end", "ended_on",
                   "end_reason", "weekly_hours", "funder"]  # fmt: skip
ENTRY_FIELDS = ["recorded_on", "labour_market_status", "unemployed_since", "education_level", "household"]


def export_data(context) -> dict:
    """Everything held on one person, as the user may read it (notes and sensitive data by their rules)."""
    p = context["participant"]

    def rows(objs, fields):
        out = []
        for o in objs:
            row = {}
            for f in fields:
                display = getattr(o, f"get_{f}_display", None)
                value = display() if display else getattr(o, f)
                row[f] = str(value) if hasattr(value, "pk") else value
            out.append(row)
        return out

    data = {
        "person": {f: getattr(p, f) for f in ("first_name", "last_name", "birth_date", "jobseeker_number", "email",
                                               "phone", "address", "postcode", "locality")}  # fmt: skip
        | {"gender": p.get_gender_display(), "organisation": p.organisation.name, "status": p.get_status_display(),
           "reference": str(p.public_id), "residence_commune": str(p.residence_commune or "")},  # fmt: skip
        "referrals": rows(context["referrals"], ["date", "source", "referrer", "organisation"]),
        "intakes": rows(context["intakes"], ["date", "coach", "outcome", "redirect_reason"]),
        "contracts": rows(context["contracts"], CONTRACT_FIELDS),
        "entry_data": rows([context["entry_data"]] if context["entry_data"] else [], ENTRY_FIELDS),
        "plan": {
            "obstacles": rows(context["obstacles"], ["kind", "detail", "identified_on", "resolved_on"]),
            "goals": rows(context["goals"], ["title", "target_date", "achieved_on"]),
            "actions": rows(context["actions"], ["description", "owner", "due_date", "status", "done_on"]),
            "reviews": rows(context["reviews"], ["date", "coach", "summary"]),
        },
        "coaching_sessions": rows(context["sessions"], ["date", "coach", "kind", "next_steps"]
                                  + (["notes"] if context["can_read_notes"] else [])),
        "exits": rows(context["exits"], ["date", "reason", "situation", "situation_recorded_on", "employer",
                                         "qualification_gained", "next_steps"]),
        "follow_ups": rows(context["follow_ups"], ["due_on", "done_on", "situation", "employer"]),
        "training": [{"date": e.date, "title": e.title, "detail": e.detail} for e in context["training"]],
        "skills": [{"date": e.date, "title": e.title, "detail": e.detail} for e in context["skills"]],
        "other": [{"title": str(t), "lines": [str(x) for x in lines]} for t, lines in context["sections"]],
    }  # fmt: skip
    if context["sensitive"] is not None:
        s = context["sensitive"]
        data["sensitive_data"] = {str(label): value for label, value in s.answers()}
    data["record_views"] = [
        {"at": e.at, "who": str(e.actor or ""), "what": e.detail.get("part", "")}
        for e in AuditEvent.objects.filter(
            object_type="participants.participant", object_id=str(p.pk), action=AuditEvent.Action.VIEW
        ).select_related("actor")[:500]
    ]
    return data


class AccessExportJson(ParticipantDocument, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        participant = self.get_object()
        services.view_record(participant, actor=request.user, part="access export (JSON)")
        data = export_data(self.context(participant))
        response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
                                content_type="application/json")  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="access-export-{str(participant.public_id)[:8]}.json"'
        return response


class AccessExportPdf(ParticipantDocument, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        from moulin.participants.pdf import labelled_export, render_pdf

        participant = self.get_object()
        services.view_record(participant, actor=request.user, part="access export (PDF)")
        context = self.context(participant)
        context["data"] = export_data(context)
        context["labelled"] = labelled_export(context["data"])
        return render_pdf(request, "participants/access_export_pdf.html", context,
                          filename=f"access-export-{str(participant.public_id)[:8]}.pdf")  # fmt: skip


# --- GDPR erasure and merge ----------------------------------------------------------------------


class EraseParticipant(ParticipantObjectMixin, ScopedFormView):
    form_class = forms.ConfirmForm
    template_name = "participants/erase_confirm.html"
    title = _("Erase this person's data")

    def check_object(self, obj):
        if not POLICY.can_erase(self.scope):
            raise PermissionDenied(gettext("Only network administrators and network staff erase a person's data."))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def save(self, form):
        return services.erase(self.object, actor=self.request.user)

    def get_success_url(self):
        return self.object.get_absolute_url()


class MergeParticipant(ParticipantObjectMixin, ServiceFormMixin, ScopedFormView):
    form_class = forms.MergeForm
    title = _("Merge a duplicate record into this one")

    def check_object(self, obj):
        if not POLICY.can_merge(self.scope):
            raise PermissionDenied(gettext("Only network staff merge person records."))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        p = self.object
        kwargs["candidates"] = services.find_duplicates(
            first_name=p.first_name, last_name=p.last_name, birth_date=p.birth_date,
            jobseeker_number=p.jobseeker_number, exclude_pk=p.pk,
        )  # fmt: skip
        return kwargs

    def save(self, form):
        duplicate = (
            Participant.objects.visible_to(self.request.user).filter(public_id=form.cleaned_data["duplicate"]).first()
        )
        if duplicate is None:
            raise ValidationError({"duplicate": gettext("No record with this reference.")})
        return services.merge(actor=self.request.user, survivor=self.object, duplicate=duplicate)


# --- reference and settings ----------------------------------------------------------------------


class MeasureUpdate(ScopedFormView):
    model = EmploymentMeasure
    form_class = forms.MeasureForm

    def get_success_url(self):
        return reverse("participants:measure_list")

    def get_cancel_url(self):
        return reverse("participants:measure_list")

    def get_breadcrumbs(self):
        return [(_("Employment measures"), reverse("participants:measure_list")), (str(self.object), "")]


class PathwaySettingsView(ScopedFormView):
    model = PathwaySettings
    form_class = forms.PathwaySettingsForm
    title = _("Pathway settings")

    def get_object(self):
        obj = PathwaySettings.load()
        if not self.base_queryset().filter(pk=obj.pk).exists():
            raise PermissionDenied(gettext("Only network administrators change the pathway settings."))
        self.check_object(obj)
        return obj

    def get_cancel_url(self):
        return reverse("participants:list")

    def get_success_url(self):
        return reverse("participants:settings")

    def get_breadcrumbs(self):
        return [(_("Pathway settings"), "")]


# --- counts for every role (no person) -----------------------------------------------------------


AGE_BANDS = {"under 30": _("under 30"), "30-54": _("30 to 54"), "55 and over": _("55 and over"),
             "unknown": _("not recorded")}  # fmt: skip


class PathwayFigures(ScopedMixin, View):
    """The year's pathway figures over the organisations the user may see: counts only, never a person, so
    board members, commune and ministry officers read them too."""

    model = Organisation

    def get_breadcrumbs(self):
        return [(_("Pathway figures"), "")]

    def get(self, request):
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year + 1)
        orgs = Organisation.objects.visible_to(request.user)
        scope = self.scope
        ids = None if scope.reads_network_aggregates else list(orgs.values_list("pk", flat=True))
        figures = pathway_figures(year, organisation_ids=ids)
        labels = {
            "situation": dict(enums.Situation.choices),
            "status": dict(enums.LabourMarketStatus.choices),
            "isced": dict(enums.Isced.choices),
            "gender": dict(enums.Gender.choices),
        }

        def labelled(counts, kind):
            return sorted(((labels[kind].get(k, gettext("not recorded")) if k else gettext("not recorded"), n)
                           for k, n in counts.items()), key=lambda kv: -kv[1])  # fmt: skip

        context = {
            "title": gettext("Pathway figures %(year)s") % {"year": year},
            "year": year,
            "years": list(range(today.year - 4, today.year + 1)),
            "figures": figures,
            "network_wide": ids is None,
            "organisations": orgs.members() if ids is not None else None,
            "exits_by_situation": labelled(figures["exits_by_situation"], "situation"),
            "hires_by_status": labelled(figures["hires_by_status"], "status"),
            "hires_by_isced": labelled(figures["hires_by_isced"], "isced"),
            "hires_by_gender": labelled(figures["hires_by_gender"], "gender"),
            "hires_by_age": [
                (AGE_BANDS[k], figures["hires_by_age"][k]) for k in AGE_BANDS if k in figures["hires_by_age"]
            ],
        }
        return self.render("participants/figures.html", context)
