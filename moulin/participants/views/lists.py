"""The pathway's lists: participants, waiting list, employment contracts."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, gettext_lazy as _

from moulin.core.tables import Column
from moulin.core.views import ScopedListView
from moulin.participants import enums, forms
from moulin.participants.models import EmploymentContract, Participant
from moulin.participants.views.base import PEOPLE_CRUMB, POLICY


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
        # the latest intake's date, stored on the participant by the database (participants 0007): the rows and
        # the pager's count read the (status, waiting_since, id) index, no intake at all
        return super().get_queryset().filter(status=enums.PathwayStatus.WAITING).order_by("waiting_since", "pk")

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
