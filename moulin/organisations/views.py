from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.core.pagination import kept
from moulin.core.services import audit
from moulin.core.tables import Column
from moulin.core.views import ScopedDeleteView, ScopedDetailView, ScopedFormView, ScopedListView, figures_for_rows
from moulin.organisations import forms
from moulin.organisations.enums import BoardRole
from moulin.organisations.models import (
    Agreement,
    BoardMandate,
    BoardMeeting,
    Organisation,
    Premises,
    VolunteerHours,
)

BOARD_ROLE_ORDER = list(BoardRole.values)
ORGS_CRUMB = (_("Organisations"), reverse_lazy("organisations:list"))


class OrganisationList(ScopedListView):
    model = Organisation
    title = _("Organisations")
    intro = _("The resource centre and the member organisations of the network.")
    filter_form_class = forms.OrganisationFilterForm
    search_fields = ["name", "short_name", "locality", "legal_number"]
    default_sort = "name"
    export_name = "organisations"
    create_url_name = "organisations:create"
    columns = [
        Column("name", _("Name"), sort="name", link=True),
        Column("kind", _("Kind"), sort="kind"),
        Column("level", _("Level"), sort="level"),
        Column("seat_commune", _("Seat"), "seat_commune.name", sort="seat_commune__name"),
        Column("domains", _("Domains")),
        Column("communes", _("Communes (agreements)"), "n_communes", sort="n_communes", align="text-end"),
        Column("legal_number", _("Register number"), sort="legal_number"),
    ]

    def get_queryset(self):
        qs = super().get_queryset().with_list_data()
        if not self.sorted_on({"communes"}):
            return qs  # the page's rows get their count in one grouped query (prepare_rows)
        today = timezone.localdate()
        current = Q(agreements__start__lte=today) & (Q(agreements__end__isnull=True) | Q(agreements__end__gte=today))
        return qs.annotate(n_communes=Count("agreements__commune", filter=current, distinct=True))

    def prepare_rows(self, objects) -> None:
        figures_for_rows(objects, ("n_communes",), lambda pks: (
            Agreement.objects.current().filter(organisation__in=pks).order_by().values("organisation")
            .annotate(n=Count("commune", distinct=True)).values_list("organisation", "n")
        ))  # fmt: skip

    def get_breadcrumbs(self):
        return [(_("Organisations"), "")]


class OrganisationDetail(ScopedDetailView):
    model = Organisation
    lookup_field = "slug"
    lookup_url_kwarg = "slug"
    template_name = "organisations/organisation_detail.html"

    def get_context(self, org):
        user = self.request.user
        scope = scope_for(user)
        today = timezone.localdate()
        premises = Premises.objects.visible_to(user).filter(organisation=org).select_related("commune")
        agreements = Agreement.objects.visible_to(user).filter(organisation=org).select_related("commune")
        mandates = sorted(
            BoardMandate.objects.visible_to(user).filter(organisation=org).select_related("user"),
            key=lambda m: (BOARD_ROLE_ORDER.index(m.role), -m.start.toordinal()),
        )
        meetings = (
            BoardMeeting.objects.visible_to(user)
            .filter(organisation=org)
            .annotate(n_present=Count("attendees"))
            .order_by("-date")[:10]
        )
        hours = VolunteerHours.objects.visible_to(user).filter(organisation=org)
        # the year's total and number of volunteers are counts, like board_count: every reader of the
        # organisation sees them; who gave the hours stays with those the board policy lets read it
        year_hours = VolunteerHours.objects.counted_for(user).filter(organisation=org, date__year=today.year)
        board_visible = policy_for(BoardMandate).visible(BoardMandate.objects.filter(organisation=org), scope).exists()
        board_count = BoardMandate.objects.counted_for(user).filter(organisation=org).current().count()
        return {
            "object": org,
            "org": org,
            "premises": premises,
            "agreements": agreements,
            "current_mandates": [m for m in mandates if m.is_current(today)],
            "past_mandates": [m for m in mandates if not m.is_current(today)],
            "meetings": meetings,
            "board_visible": board_visible,
            "board_count": board_count,
            "hours_this_year": year_hours.total_hours(),
            "volunteers_this_year": year_hours.values("volunteer_name").distinct().count(),
            "recent_hours": hours.select_related("mandate")[:8],
            "year": today.year,
            "communes_covered": agreements.current().values("commune").distinct().count(),
            "can_add_premises": policy_for(Premises).can(scope, ADD, org),
            "can_add_board": policy_for(BoardMandate).can(scope, ADD, org),
            "domains": org.domains.all(),
        }


class OrganisationCreate(ScopedFormView):
    model = Organisation
    form_class = forms.OrganisationForm
    creating = True
    crumb_label = _("New organisation")


class OrganisationUpdate(ScopedFormView):
    model = Organisation
    form_class = forms.OrganisationForm
    lookup_field = "slug"
    lookup_url_kwarg = "slug"


class OrganisationChildMixin:
    """Pages of a record that hangs under an organisation: premises, agreements, mandates, meetings, hours."""

    parent_model = Organisation


class ChildCreate(OrganisationChildMixin, ScopedFormView):
    creating = True


class ChildUpdate(OrganisationChildMixin, ScopedFormView):
    pass


class ChildDelete(ScopedDeleteView):
    pass


class PremisesCreate(ChildCreate):
    model = Premises
    form_class = forms.PremisesForm


class PremisesUpdate(ChildUpdate):
    model = Premises
    form_class = forms.PremisesForm


class PremisesDelete(ChildDelete):
    model = Premises


class MandateCreate(ChildCreate):
    model = BoardMandate
    form_class = forms.MandateForm


class MandateUpdate(ChildUpdate):
    model = BoardMandate
    form_class = forms.MandateForm


class MandateDelete(ChildDelete):
    model = BoardMandate


class MeetingCreate(ChildCreate):
    model = BoardMeeting
    form_class = forms.MeetingForm


class MeetingUpdate(ChildUpdate):
    model = BoardMeeting
    form_class = forms.MeetingForm

    def get_breadcrumbs(self):
        # the meeting has its own page, but its form is reached from the organisation's
        org = self.object.organisation
        return [ORGS_CRUMB, (org.display_name, org.get_absolute_url()), (self.get_title(), "")]


class MeetingDelete(ChildDelete):
    model = BoardMeeting


class VolunteerHoursCreate(ChildCreate):
    model = VolunteerHours
    form_class = forms.VolunteerHoursForm


class VolunteerHoursUpdate(ChildUpdate):
    model = VolunteerHours
    form_class = forms.VolunteerHoursForm


class VolunteerHoursDelete(ChildDelete):
    model = VolunteerHours


class MeetingDetail(ScopedDetailView):
    model = BoardMeeting
    template_name = "organisations/meeting_detail.html"

    def get_context(self, meeting):
        attendees = list(meeting.attendees.all())
        present_ids = {m.pk for m in attendees}
        board = BoardMandate.objects.filter(organisation=meeting.organisation).current(meeting.date)
        return {
            "object": meeting,
            "present": attendees,
            "absent": [m for m in board if m.pk not in present_ids],
        }


class MeetingMinutes(ScopedDetailView):
    """The minutes file, served only to those who may see the meeting (never from a public media URL)."""

    model = BoardMeeting

    def get(self, request, *args, **kwargs):
        meeting = self.get_object()
        if not meeting.minutes:
            raise Http404
        audit(actor=request.user, action="view", obj=meeting, detail={"file": "minutes"})
        filename = meeting.minutes.name.rsplit("/", 1)[-1]
        return FileResponse(meeting.minutes.open("rb"), as_attachment=True, filename=filename)


class VolunteerHoursList(ScopedListView):
    model = VolunteerHours
    template_name = "organisations/volunteerhours_list.html"
    title = _("Volunteer hours")
    intro = _("Time given by board members and volunteers, valued in the funding mix at the network's hourly rate.")
    filter_form_class = forms.VolunteerFilterForm
    search_fields = ["volunteer_name", "activity"]
    default_sort = "-date"
    export_name = "volunteer-hours"
    select_related = ["organisation"]
    columns = [
        Column("date", _("Date"), sort="date"),
        Column("volunteer_name", _("Volunteer"), sort="volunteer_name", link=True),
        Column("organisation", _("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("activity", _("Activity")),
        Column("hours", _("Hours"), sort="hours", align="text-end", kind="number"),
    ]

    def extra_context(self):
        qs, *_rest = self.filtered_queryset()
        # the sum over every row of the list: kept under the data version, as the pager's count is
        total = kept("total_hours", qs.order_by(), lambda rows: rows.aggregate(total=Sum("hours"))["total"])
        return {"total_hours": total or 0}

    def get_breadcrumbs(self):
        return [(_("Volunteer hours"), "")]
