"""The person's rights: the access export, sensitive data, erasure and merging duplicates."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, gettext_lazy as _

from moulin.core import persons
from moulin.core.forms import ConfirmForm
from moulin.core.pdf import render_pdf
from moulin.core.views import ScopedActionView, ScopedDetailView, ScopedFormView
from moulin.participants import forms, services
from moulin.participants.models import Participant, SensitiveData
from moulin.participants.pdf import labelled_export
from moulin.participants.views.base import (
    POLICY,
    OneToOneEdit,
    ParticipantDocument,
    ParticipantObjectMixin,
    document_context,
)


class SensitiveDataEdit(OneToOneEdit):
    model = SensitiveData
    form_class = forms.SensitiveDataForm
    title = _("Sensitive ESF+ data (with consent)")

    def get_success_url(self):
        return self.get_cancel_url() + "#sensitive"


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
    data["record_views"] = persons.record_views(p)
    return data


def export_for(participant, user) -> dict:
    """The access export of one participant as ``user`` may read it (``PersonRecords.export``)."""
    return export_data(document_context(participant, user))


class AccessExportJson(ParticipantDocument, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        participant = self.get_object()
        services.view_record(participant, actor=request.user, part="access export (JSON)")
        data = export_data(self.context(participant))
        return persons.json_export(data, filename=f"access-export-{str(participant.public_id)[:8]}.json")


class AccessExportPdf(ParticipantDocument, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        participant = self.get_object()
        services.view_record(participant, actor=request.user, part="access export (PDF)")
        context = self.context(participant)
        context["data"] = export_data(context)
        context["labelled"] = labelled_export(context["data"])
        return render_pdf(request, "participants/access_export_pdf.html", context,
                          filename=f"access-export-{str(participant.public_id)[:8]}.pdf")  # fmt: skip


class ParticipantErase(ParticipantObjectMixin, ScopedActionView):
    form_class = ConfirmForm
    template_name = "participants/erase_confirm.html"
    title = _("Erase this person's data")

    def check_object(self, obj):
        if not POLICY.can_erase(self.scope):
            raise PermissionDenied(gettext("Only network administrators and network staff erase a person's data."))

    def perform(self, form):
        self.object = services.erase(self.object, actor=self.request.user)
        return gettext("Saved: %(thing)s.") % {"thing": self.object}


class ParticipantMerge(ParticipantObjectMixin, ScopedFormView):
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
