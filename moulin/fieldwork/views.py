"""Pages of field work: sites, recurring work orders, work orders, the week's schedule, the team's calendar feed,
the team leader's time sheet on a phone and the time entries."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.core.tables import Column
from moulin.core.views import (
    ScopedActionView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
    ScopedMixin,
)
from moulin.core.workflow import available_transitions
from moulin.fieldwork import forms, services
from moulin.fieldwork.calendar_feed import team_calendar
from moulin.fieldwork.models import RecurringOrder, Site, TeamFeed, TimeEntry, WorkOrder
from moulin.projects.models import Project, Team

# --- sites ------------------------------------------------------------------------------------------------------


class SiteList(ScopedListView):
    model = Site
    title = _("Sites")
    intro = _("The places of the communes where the environmental teams work: playgrounds, parks, paths, "
              "recycling routes and public buildings.")  # fmt: skip
    filter_form_class = forms.SiteFilterForm
    search_fields = ["name", "commune__name"]
    default_sort = "name"
    export_name = "sites"
    select_related = ["commune", "project"]
    columns = [
        Column("name", _("Site"), sort="name", link=True),
        Column("kind", _("Kind"), "get_kind_display", sort="kind"),
        Column("commune", _("Commune"), "commune.name", sort="commune__name"),
        Column("project", _("Project"), "project.name", sort="project__name"),
        Column("is_active", _("Active"), sort="is_active"),
    ]

    def extra_context(self):
        user = self.request.user
        return {"add_projects": forms.env_projects_for_add(user)[:30]}

    def get_breadcrumbs(self):
        return [(_("Sites"), "")]


class SiteDetail(ScopedDetailView):
    model = Site
    template_name = "fieldwork/site_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("commune", "project__organisation")

    def get_context(self, site):
        user = self.request.user
        today = timezone.localdate()
        return {
            "object": site,
            "site": site,
            "recurring": RecurringOrder.objects.visible_to(user).filter(site=site).select_related("team"),
            "orders": WorkOrder.objects.visible_to(user).filter(site=site, date__gte=today)
            .select_related("team").order_by("date")[:20],
            "done": WorkOrder.objects.visible_to(user).filter(site=site, date__lt=today)
            .select_related("team").order_by("-date")[:20],
            "can_add_recurring": policy_for(RecurringOrder).can(user.scope, ADD, site),
        }  # fmt: skip


class SiteCreate(ScopedFormView):
    model = Site
    form_class = forms.SiteForm
    creating = True
    parent_model = Project
    parent_lookup = "pk"
    parent_url_kwarg = "pk"
    template_name = "fieldwork/site_form.html"


class SiteUpdate(ScopedFormView):
    model = Site
    form_class = forms.SiteForm
    template_name = "fieldwork/site_form.html"


# --- recurring work orders --------------------------------------------------------------------------------------


class RecurringDetail(ScopedDetailView):
    model = RecurringOrder
    template_name = "fieldwork/recurring_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("site__commune", "team")

    def get_context(self, recurring):
        orders = WorkOrder.objects.visible_to(self.request.user).filter(recurring=recurring)
        today = timezone.localdate()
        return {
            "object": recurring,
            "recurring": recurring,
            "upcoming": orders.filter(date__gte=today).order_by("date")[:15],
        }


class RecurringCreate(ScopedFormView):
    model = RecurringOrder
    form_class = forms.RecurringOrderForm
    creating = True
    parent_model = Site
    parent_lookup = "pk"
    parent_url_kwarg = "pk"

    def save(self, form):
        return services.save_recurring_order(form, actor=self.request.user)


class RecurringUpdate(ScopedFormView):
    model = RecurringOrder
    form_class = forms.RecurringOrderForm

    def save(self, form):
        return services.save_recurring_order(form, actor=self.request.user)


class RecurringGenerate(ScopedActionView):
    """Generate the work orders up to the horizon again (nothing already generated is made twice)."""

    model = RecurringOrder
    form_class = forms.Form
    template_name = "fieldwork/confirm.html"
    refusal_as_message = True
    title = _("Generate the work orders")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return kwargs

    def render_form(self, form, status=200):
        question = gettext("Generate the work orders of “%(order)s” for the next three months?") % {
            "order": self.object
        }
        return self.render(self.template_name, {"form": form, "object": self.object, "title": self.get_title(),
                                                "question": question, "cancel_url": self.get_cancel_url()},
                           status=status)  # fmt: skip

    def perform(self, form):
        n = services.generate_work_orders(self.object, actor=self.request.user)
        return gettext("%(n)s new work orders; those already planned are kept.") % {"n": n}


# --- work orders ------------------------------------------------------------------------------------------------


class WorkOrderList(ScopedListView):
    model = WorkOrder
    title = _("Work orders")
    intro = _("The work planned and done by the environmental teams on the sites.")
    filter_form_class = forms.WorkOrderFilterForm
    search_fields = ["title", "site__name", "site__commune__name"]
    default_sort = "date"
    export_name = "work-orders"
    select_related = ["site__commune", "team"]
    columns = [
        Column("date", _("Day"), sort="date"),
        Column("title", _("Work"), sort="title", link=True),
        Column("site", _("Site"), "site.name", sort="site__name"),
        Column("commune", _("Commune"), "site.commune.name", sort="site__commune__name"),
        Column("team", _("Team"), "team.name", sort="team__name"),
        Column("planned_hours", _("Planned hours"), sort="planned_hours", align="text-end"),
        Column("status", _("Status"), "get_status_display", sort="status"),
    ]

    def get_breadcrumbs(self):
        return [(_("Work orders"), "")]


class TodayList(WorkOrderList):
    """The team leader's day on a phone: today's work orders, each a tap from its time sheet."""

    title = _("Today's work")
    intro = _("Today's work orders: tap one to record the team's hours.")
    template_name = "fieldwork/today.html"
    filter_form_class = None
    export_name = ""

    def get_queryset(self):
        return super().get_queryset().on_day(timezone.localdate())

    def get_breadcrumbs(self):
        return [(_("Today's work"), "")]


class WorkOrderDetail(ScopedDetailView):
    model = WorkOrder
    template_name = "fieldwork/work_order_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("site__commune", "team", "recurring")

    def get_context(self, order):
        user = self.request.user
        entries_open = policy_for(TimeEntry).can_list(user.scope)
        entries = (
            TimeEntry.objects.visible_to(user).filter(work_order=order).select_related("participant")
            if entries_open else TimeEntry.objects.none()
        )  # fmt: skip
        return {
            "object": order,
            "order": order,
            "transitions": available_transitions(user, order),
            "entries": entries,
            "hours": TimeEntry.objects.counted_for(user).filter(work_order=order).hours(),
            "can_record": order.is_open and policy_for(TimeEntry).can(user.scope, ADD, order),
        }


class WorkOrderTransition(ScopedFormView):
    """Mark a work order done, cancel it with a reason, move it to another day or reopen it."""

    model = WorkOrder
    form_class = forms.WorkOrderTransitionForm
    crumb_label = _("Status")

    def get_title(self):
        return gettext("Status of “%(order)s”") % {"order": self.object}

    def save(self, form):
        return services.transition_work_order(
            self.object, form.cleaned_data["transition"], actor=self.request.user, **form.transition_fields()
        )


class TimeSheet(ScopedFormView):
    """The hours of the whole team on one work order, in a few taps; works offline (the page queues the
    entries and sends them when the network is back, each with its idempotency key)."""

    model = WorkOrder
    form_class = forms.TimeSheetForm
    template_name = "fieldwork/time_sheet.html"
    crumb_label = _("Hours")

    def check_object(self, obj):
        if not policy_for(TimeEntry).can(self.scope, ADD, obj):
            raise PermissionDenied(_("Your role does not allow recording hours here."))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        kwargs["instance"] = self.object
        kwargs["rows"] = services.planned_entries(self.object)
        return kwargs

    def get_title(self):
        return gettext("Hours on %(order)s") % {"order": self.object}

    def save(self, form):
        entries = list(form.entries())
        if not entries:
            raise ValidationError(gettext("Give the hours of at least one worker."))
        for participant, hours, key in entries:
            try:
                services.record_time_entry(actor=self.request.user, participant=participant, date=self.object.date,
                                           hours=hours, work_order=self.object, idempotency_key=key)  # fmt: skip
            except ValidationError as exc:
                messages_ = " ".join(exc.messages)
                raise ValidationError({f"hours_{participant.pk}": messages_}) from None
        return self.object

    def get_success_message(self):
        return gettext("Hours recorded.")


# --- schedule ---------------------------------------------------------------------------------------------------


def week_grid(orders, monday):
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    by_team = {}
    for order in orders:
        by_team.setdefault(order.team, {d: [] for d in days})[order.date].append(order)
    return days, [(team, [cells[d] for d in days]) for team, cells in sorted(by_team.items(), key=lambda x: x[0].name)]


class Schedule(ScopedMixin, View):
    """The week of the organisation's teams (or of one team): who works where, on which work order."""

    model = WorkOrder
    template_name = "fieldwork/schedule.html"

    def get(self, request):
        if not self.policy().can_list(self.scope):
            raise PermissionDenied(_("Your role sees counts only."))
        form = forms.WeekForm(request.GET or None, request=request)
        monday = form.monday()
        orders = WorkOrder.objects.visible_to(request.user).filter(
            date__range=(monday, monday + datetime.timedelta(days=6))
        )
        team = form.selected_team()
        if team is not None:
            orders = orders.filter(team=team)
        days, rows = week_grid(orders.select_related("site__commune", "team").order_by("date", "site__name"), monday)
        return self.render(self.template_name, {
            "form": form, "days": days, "rows": rows, "monday": monday,
            "previous": monday - datetime.timedelta(days=7), "next": monday + datetime.timedelta(days=7),
            "title": gettext("Schedule"), "team": team,
        })  # fmt: skip

    def get_breadcrumbs(self):
        return [(_("Schedule"), "")]


class TeamSchedule(ScopedDetailView):
    """One team's week, with the address of its calendar feed for phones."""

    model = Team
    template_name = "fieldwork/team_schedule.html"

    def get_context(self, team):
        user = self.request.user
        form = forms.WeekForm(self.request.GET or None, request=self.request)
        monday = form.monday()
        orders = WorkOrder.objects.visible_to(user).filter(
            team=team, date__range=(monday, monday + datetime.timedelta(days=6))
        )
        days, rows = week_grid(orders.select_related("site__commune", "team").order_by("date"), monday)
        feed = TeamFeed.objects.visible_to(user).filter(team=team).active().first()
        return {
            "object": team, "team": team, "days": days, "rows": rows, "monday": monday,
            "previous": monday - datetime.timedelta(days=7), "next": monday + datetime.timedelta(days=7),
            "feed_url": self.request.build_absolute_uri(reverse("fieldwork:team_feed", args=[feed.token]))
            if feed else "",
            "can_manage_feed": policy_for(TeamFeed).can(user.scope, ADD, team),
        }  # fmt: skip


class TeamFeedAction(ScopedActionView):
    """Issue a new secret address for the team's calendar (the old one stops working), or revoke it."""

    model = Team
    form_class = forms.Form
    template_name = "fieldwork/confirm.html"
    refusal_as_message = True
    revoke = False

    def check_object(self, obj):
        if not policy_for(TeamFeed).can(self.scope, ADD, obj):
            raise PermissionDenied(_("Your role does not allow managing this team's calendar."))

    def get_title(self):
        return gettext("Revoke the calendar address") if self.revoke else gettext("New calendar address")

    def get_cancel_url(self):
        return reverse("fieldwork:team_schedule", args=[self.object.pk])

    def get_success_url(self):
        return self.get_cancel_url()

    def render_form(self, form, status=200):
        question = (
            gettext("Phones subscribed to the calendar of %(team)s will get nothing more. Revoke its address?")
            if self.revoke
            else gettext("Issue a new address for the calendar of %(team)s? The current one stops working.")
        ) % {"team": self.object}
        return self.render(self.template_name, {"form": form, "object": self.object, "title": self.get_title(),
                                                "question": question, "cancel_url": self.get_cancel_url()},
                           status=status)  # fmt: skip

    def perform(self, form):
        if self.revoke:
            services.revoke_feeds(self.object, actor=self.request.user)
            return gettext("The calendar address is revoked.")
        services.renew_feed(self.object, actor=self.request.user)
        return gettext("A new calendar address is ready: subscribe the phones to it.")


class TeamFeedRevoke(TeamFeedAction):
    revoke = True


class TeamFeedView(ScopedMixin, View):
    """The team's calendar (RFC 5545), at a secret address phones subscribe to without signing in. The secret is
    the credential: a revoked or unknown one answers 404."""

    model = TeamFeed

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))

    def get(self, request, token):
        feed = TeamFeed.objects.active().filter(token=token).select_related("team").first()
        if feed is None:
            raise Http404
        body = team_calendar(feed.team)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="team-{feed.team_id}.ics"'
        response["Cache-Control"] = "private, max-age=900"
        return response


class FieldServiceWorker(ScopedMixin, View):
    """The service worker of the field pages, served under /field/ so that it may keep them for offline use."""

    model = WorkOrder

    def get(self, request):
        from django.contrib.staticfiles import finders

        path = finders.find("moulin/field_sw.js")
        with open(path, encoding="utf-8") as handle:
            body = handle.read()
        response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        return response


# --- time entries -----------------------------------------------------------------------------------------------


class TimeEntryList(ScopedListView):
    model = TimeEntry
    title = _("Time entries")
    intro = _("Hours worked by the workers: on work orders, in training and in coaching.")
    filter_form_class = forms.TimeEntryFilterForm
    search_fields = ["participant__last_name", "participant__first_name"]
    default_sort = "-date"
    export_name = "time-entries"
    create_url_name = "fieldwork:time_entry_create"
    select_related = ["participant", "work_order__site", "team"]
    columns = [
        Column("date", _("Day"), sort="date"),
        Column("participant", _("Worker"), "participant", sort="participant__last_name"),
        Column("kind", _("For"), "get_kind_display", sort="kind"),
        Column("work_order", _("Work order"), "work_order"),
        Column("team", _("Team"), "team.name", sort="team__name"),
        Column("hours", _("Hours"), sort="hours", align="text-end"),
    ]

    def get_breadcrumbs(self):
        return [(_("Time entries"), "")]


class TimeEntryCreate(ScopedFormView):
    model = TimeEntry
    form_class = forms.TimeEntryForm
    creating = True

    def save(self, form):
        data = form.cleaned_data
        entry, _created = services.record_time_entry(
            actor=self.request.user, participant=data["participant"], date=data["date"], hours=data["hours"],
            kind=data["kind"], work_order=data.get("work_order"), note=data.get("note", ""),
        )  # fmt: skip
        return entry

    def get_success_url(self):
        return reverse("fieldwork:time_entry_list")
