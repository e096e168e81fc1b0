"""Leaving the pathway: the exit, the six-month follow-up, the exit summary."""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy as _

from moulin.core.pdf import render_pdf
from moulin.core.tables import Column
from moulin.core.views import ScopedDetailView, ScopedFormView, ScopedListView
from moulin.participants import forms, services
from moulin.participants.models import Exit, FollowUp
from moulin.participants.validators import add_months
from moulin.participants.views.base import PEOPLE_CRUMB, ChildCreate, ChildUpdate, ParticipantDocument


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


class ExitFormMixin:
    model = Exit
    form_class = forms.ExitForm

    def save(self, form):
        return services.record_exit(actor=self.request.user, exit=form.instance)


class ExitCreate(ExitFormMixin, ChildCreate):
    pass


class ExitUpdate(ExitFormMixin, ChildUpdate):
    pass


class FollowUpRecord(ScopedFormView):
    model = FollowUp
    form_class = forms.FollowUpForm
    title = _("Record the six-month follow-up")

    def save(self, form):
        return services.record_follow_up(actor=self.request.user, follow_up=form.instance)


class ExitSummaryPdf(ParticipantDocument, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        participant = self.get_object()
        services.view_record(participant, actor=request.user, part="exit summary")
        context = self.context(participant)
        context["last_exit"] = context["exits"][0] if context["exits"] else None
        return render_pdf(request, "participants/exit_summary_pdf.html", context,
                          filename=f"exit-summary-{str(participant.public_id)[:8]}.pdf")  # fmt: skip
