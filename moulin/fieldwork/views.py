"""Pages of field work: sites, recurring work orders, work orders, the week's schedule, the team's calendar feed,
the team leader's time sheet on a phone and the time entries."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View

from moulin.access.policy import ADD, CHANGE, DELETE
from moulin.access.querysets import policy_for
from moulin.core.tables import Column
from moulin.core.views import (
    ScopedActionView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
    ScopedMixin,
)
from moulin.core.workflow import available_transitions
from moulin.fieldwork import forms, services
from moulin.fieldwork.calendar_feed import team_calendar
from moulin.fieldwork.models import (
    OPEN_STATUSES,
    RecurringOrder,
    RequiredTraining,
    SafetyIncident,
    Site,
    TeamFeed,
    TimeEntry,
    WorkOrder,
    WorkOrderStatus,
)
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

    def extra_context(self):
        """The team leader's warnings: who of their teams lacks a safety training today's work requires."""
        user = self.request.user
        today = timezone.localdate()
        mine = WorkOrder.objects.visible_to(user).on_day(today).led_by(user).select_related("site", "team")
        return {
            "untrained": services.untrained_on(mine, today),
            "can_report": policy_for(SafetyIncident).can(user.scope, ADD),
        }

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
        can_change = self.policy().can(user.scope, CHANGE, order)
        return {
            "object": order,
            "order": order,
            "transitions": available_transitions(user, order),
            "entries": entries,
            "hours": TimeEntry.objects.counted_for(user).filter(work_order=order).hours(),
            "can_record": order.is_open and policy_for(TimeEntry).can(user.scope, ADD, order),
            "can_tick": order.is_open and can_change and bool(order.checklist),
            "can_reassign": order.is_open and can_change,
            "checklist_form": forms.ChecklistForm(instance=order, request=self.request),
            "can_report": policy_for(SafetyIncident).can(user.scope, ADD, order),
            "incidents": SafetyIncident.objects.visible_to(user).filter(work_order=order)
            if policy_for(SafetyIncident).can_list(user.scope)
            else SafetyIncident.objects.none(),
        }


class WorkOrderCreate(ScopedFormView):
    """A single work order in a team's week, from the schedule."""

    model = WorkOrder
    form_class = forms.WorkOrderForm
    creating = True
    parent_model = Team
    parent_lookup = "pk"
    parent_url_kwarg = "pk"
    title = _("New work order")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["team"] = self.parent
        if self.request.method == "GET" and self.request.GET.get("date"):
            kwargs["initial"] = {"date": self.request.GET["date"]}
        return kwargs

    def get_cancel_url(self):
        return reverse("fieldwork:team_schedule", args=[self.parent.pk])

    def save(self, form):
        data = form.cleaned_data
        return services.add_work_order(
            actor=self.request.user, team=self.parent, site=data["site"], title=data["title"], date=data["date"],
            start_time=data.get("start_time"), planned_hours=data["planned_hours"], checklist=data["checklist"],
        )  # fmt: skip


class WorkOrderReassign(ScopedFormView):
    """Give the work order to another team; a recurring one from this day on if asked (earlier orders keep
    their team)."""

    model = WorkOrder
    form_class = forms.ReassignForm
    crumb_label = _("Team")

    def get_title(self):
        return gettext("Another team for “%(order)s”") % {"order": self.object}

    def save(self, form):
        data = form.cleaned_data
        n = services.reassign_team(self.object, data["team"], actor=self.request.user,
                                   following=data.get("following", False))  # fmt: skip
        self.changed = n
        self.object.refresh_from_db()
        return self.object

    def get_success_message(self):
        return gettext("%(n)s work orders given to %(team)s.") % {"n": self.changed, "team": self.object.team}


class WorkOrderChecklist(ScopedFormView):
    """Tick the checklist of a work order (on a phone too): who ticked each item and when is kept."""

    model = WorkOrder
    form_class = forms.ChecklistForm
    crumb_label = _("Checklist")

    def get_title(self):
        return gettext("Checklist of “%(order)s”") % {"order": self.object}

    def get_success_url(self):
        back = self.request.POST.get("next", "")
        if back == "time_sheet":
            return reverse("fieldwork:time_sheet", args=[self.object.pk])
        return self.object.get_absolute_url()

    def save(self, form):
        return services.tick_checklist(self.object, form.cleaned_data["items"], actor=self.request.user)

    def get_success_message(self):
        return gettext("Checklist saved.")


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

    def render_form(self, form, status=200):
        order = self.object
        untrained = services.untrained_on([order], order.date)
        can_tick = order.is_open and bool(order.checklist) and self.policy().can(self.scope, CHANGE, order)
        return self.render(self.template_name, {
            "form": form, "object": order, "title": self.get_title(), "cancel_url": self.get_cancel_url(),
            "untrained": untrained,
            "checklist_form": forms.ChecklistForm(instance=order, request=self.request) if can_tick else None,
            "can_report": policy_for(SafetyIncident).can(self.scope, ADD, order),
        }, status=status)  # fmt: skip

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


def editing(user, rows) -> dict:
    """What the user may edit in the week shown: the teams they may add work orders to and the orders they may
    move, reassign or cancel (by the policy, with no query per order)."""
    policy = policy_for(WorkOrder)
    scope = user.scope
    addable = {team.pk for team, _cells in rows if policy.can_add(scope, under=team)}
    editable = set()
    for _team, cells in rows:
        for _day, orders in cells:
            for order in orders:
                if order.is_open and (policy.can_change(scope, order)):
                    editable.add(order.pk)
    return {"addable": addable, "editable": editable}


def week_grid(orders, monday):
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    by_team = {}
    for order in orders:
        by_team.setdefault(order.team, {d: [] for d in days})[order.date].append(order)
    return days, [
        (team, [(d, cells[d]) for d in days]) for team, cells in sorted(by_team.items(), key=lambda x: x[0].name)
    ]


#: the figures of the week's summary per organisation, summed up in its last row
SUMMARY_FIGURES = ("teams", "orders", "working", "open", "done", "cancelled", "hours")


def week_summary(orders, organisations, teams) -> list[dict]:
    """Per organisation, the week's work orders counted in the database (one grouped query on the orders the user
    may read, one on the teams they reach): teams, orders by status and planned hours. Organisations with nothing
    planned still show, with their teams, so that work can be planned for them."""
    cancelled = WorkOrderStatus.CANCELLED
    counted = {
        row["team__project__organisation"]: row
        for row in orders.order_by()
        .values("team__project__organisation")
        .annotate(
            orders=Count("pk"),
            working=Count("team", distinct=True, filter=~Q(status=cancelled)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            done=Count("pk", filter=Q(status=WorkOrderStatus.DONE)),
            cancelled=Count("pk", filter=Q(status=cancelled)),
            hours=Sum("planned_hours", filter=~Q(status=cancelled)),
        )
    }
    team_counts = dict(
        teams.order_by()
        .values("project__organisation")
        .annotate(n=Count("pk"))
        .values_list("project__organisation", "n")
    )
    empty = dict.fromkeys(SUMMARY_FIGURES, 0) | {"hours": None}
    return [
        {"organisation": org, "teams": team_counts.get(org.pk, 0), **{**empty, **counted.get(org.pk, {})}}
        for org in organisations
    ]


class Schedule(ScopedMixin, View):
    """The week of the organisation's teams (or of one team): who works where, on which work order. A user who
    reaches the teams of several organisations (the network's staff) first sees the week summed up per
    organisation, each linking to that organisation's week: the whole network's orders in one table are too many
    to read (and to render)."""

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
        team, organisation = form.selected_team(), form.selected_organisation()
        organisations = list(form.fields["organisation"].queryset)
        teams = form.fields["team"].queryset
        context = {
            "form": form, "monday": monday, "team": team, "organisation": organisation,
            "several_organisations": len(organisations) > 1, "summary": None,
            "previous": monday - datetime.timedelta(days=7), "next": monday + datetime.timedelta(days=7),
            "title": gettext("Schedule"),
        }  # fmt: skip
        if team is None and organisation is None and len(organisations) > 1:
            summary = week_summary(orders, organisations, teams)
            totals = {key: sum(row[key] or 0 for row in summary) for key in SUMMARY_FIGURES}
            return self.render(self.template_name, {**context, "summary": summary, "totals": totals})
        if team is not None:
            orders = orders.filter(team=team)
        elif organisation is not None:
            orders = orders.filter(team__project__organisation=organisation)
            teams = teams.filter(project__organisation=organisation)
        orders = orders.select_related("site__commune", "site__project", "team__project")
        days, rows = week_grid(orders.order_by("date", "site__name"), monday)
        if team is None:  # every team shows, so that work can be added to an empty week
            shown = {t.pk for t, _cells in rows}
            rows += [(t, [(d, []) for d in days]) for t in teams if t.pk not in shown]
            rows.sort(key=lambda row: row[0].name)
        elif not rows:
            rows = [(team, [(d, []) for d in days])]
        return self.render(self.template_name, {
            **context, "days": days, "rows": rows, **editing(request.user, rows),
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
        orders = orders.select_related("site__commune", "site__project", "team__project")
        days, rows = week_grid(orders.order_by("date"), monday)
        if not rows:  # an empty week still offers to add work to this team
            rows = [(team, [(d, []) for d in days])]
        feed = TeamFeed.objects.visible_to(user).filter(team=team).active().first()
        return {
            "object": team, "team": team, "days": days, "rows": rows, "monday": monday,
            "previous": monday - datetime.timedelta(days=7), "next": monday + datetime.timedelta(days=7),
            "feed_url": self.request.build_absolute_uri(reverse("fieldwork:team_feed", args=[feed.token]))
            if feed else "",
            "can_manage_feed": policy_for(TeamFeed).can(user.scope, ADD, team),
            **editing(user, rows),
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
    select_related = ["participant", "work_order__site", "intervention__request", "team"]
    columns = [
        Column("date", _("Day"), sort="date", link=True),
        Column("participant", _("Worker"), "participant", sort="participant__last_name"),
        Column("kind", _("For"), "get_kind_display", sort="kind"),
        Column("work_order", _("Work order"), "work_order"),
        Column("intervention", _("Care intervention"), "intervention"),
        Column("team", _("Team"), "team.name", sort="team__name"),
        Column("hours", _("Hours"), sort="hours", align="text-end"),
    ]

    def get_breadcrumbs(self):
        return [(_("Time entries"), "")]


class TimeEntryCreate(ScopedFormView):
    model = TimeEntry
    form_class = forms.TimeEntryForm
    creating = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET" and self.request.GET.get("intervention", "").isdigit():
            from moulin.care.models import Intervention

            found = Intervention.objects.visible_to(self.request.user).filter(pk=self.request.GET["intervention"])
            intervention = found.first()
            if intervention is not None:
                kwargs["initial"] = {"kind": "intervention", "intervention": intervention.pk,
                                     "date": intervention.date, "hours": intervention.planned_hours}  # fmt: skip
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        entry, _created = services.record_time_entry(
            actor=self.request.user, participant=data["participant"], date=data["date"], hours=data["hours"],
            kind=data["kind"], work_order=data.get("work_order"), intervention=data.get("intervention"),
            note=data.get("note", ""),
        )  # fmt: skip
        return entry

    def get_success_url(self):
        if self.object.intervention_id:
            return self.object.intervention.get_absolute_url()
        return reverse("fieldwork:time_entry_list")


class TimeEntryDetail(ScopedDetailView):
    model = TimeEntry
    template_name = "fieldwork/time_entry_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("participant", "work_order__site", "intervention__request",
                                                      "team", "recorded_by")  # fmt: skip

    def get_context(self, entry):
        scope = self.request.user.scope
        return {
            "object": entry, "entry": entry,
            "can_change": self.policy().can(scope, CHANGE, entry),
            "can_delete": self.policy().can(scope, DELETE, entry),
        }  # fmt: skip


class TimeEntryUpdate(ScopedFormView):
    """Correct a time entry: the same refusals as when it was recorded."""

    model = TimeEntry
    form_class = forms.TimeEntryForm

    def save(self, form):
        data = form.cleaned_data
        fields = {name: data.get(name) for name in services.EDITABLE_FIELDS}
        fields["note"] = fields["note"] or ""
        return services.update_time_entry(self.object, actor=self.request.user, **fields)


class TimeEntryDelete(ScopedDeleteView):
    model = TimeEntry

    def delete(self, obj):
        services.delete_time_entry(obj, actor=self.request.user)


# --- safety -----------------------------------------------------------------------------------------------------


class RequiredTrainingList(ScopedListView):
    model = RequiredTraining
    title = _("Required safety trainings")
    intro = _("The safety trainings a kind of site or of care work requires: a worker without a valid certificate "
              "of the course is not put on such work.")  # fmt: skip
    default_sort = "site_kind"
    select_related = ["course", "work_kind"]
    create_url_name = "fieldwork:required_training_create"
    columns = [
        Column("course", _("Safety training"), "course.title", sort="course__title", link=True),
        Column("applies_to", _("Required for"), "applies_to"),
        Column("valid_months", _("Valid for (months)"), sort="valid_months", align="text-end"),
        Column("note", _("Why"), "note"),
    ]

    def get_breadcrumbs(self):
        return [(_("Required safety trainings"), "")]


class RequiredTrainingCreate(ScopedFormView):
    model = RequiredTraining
    form_class = forms.RequiredTrainingForm
    creating = True

    def get_success_url(self):
        return reverse("fieldwork:required_training_list")


class RequiredTrainingUpdate(RequiredTrainingCreate):
    creating = False


class RequiredTrainingDelete(ScopedDeleteView):
    model = RequiredTraining


class IncidentList(ScopedListView):
    model = SafetyIncident
    title = _("Safety incidents")
    intro = _("Accidents, near misses and dangerous situations in the field, with the first aid given, the "
              "actions taken and their follow-up.")  # fmt: skip
    filter_form_class = forms.IncidentFilterForm
    default_sort = "-occurred_at"
    export_name = "safety-incidents"
    create_url_name = "fieldwork:incident_create"
    select_related = ["team", "site", "work_order__site"]
    columns = [
        Column("occurred_at", _("When"), sort="occurred_at", link=True),
        Column("kind", _("Kind"), "get_kind_display", sort="kind"),
        Column("severity", _("Severity"), "get_severity_display", sort="severity"),
        Column("team", _("Team"), "team.name", sort="team__name"),
        Column("lost_days", _("Days lost"), sort="lost_days", align="text-end"),
        Column("status", _("Status"), "get_status_display", sort="status"),
    ]

    def get_breadcrumbs(self):
        return [(_("Safety incidents"), "")]


class IncidentDetail(ScopedDetailView):
    model = SafetyIncident
    template_name = "fieldwork/incident_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("team", "site__commune", "work_order__site",
                                                      "intervention__request", "reported_by")  # fmt: skip

    def get_context(self, incident):
        user = self.request.user
        return {
            "object": incident, "incident": incident,
            "involved": list(incident.involved.all()),
            "transitions": available_transitions(user, incident),
            "can_change": self.policy().can(user.scope, CHANGE, incident),
        }  # fmt: skip


class IncidentCreate(ScopedFormView):
    """Report a safety incident (from the phone too)."""

    model = SafetyIncident
    form_class = forms.SafetyIncidentForm
    creating = True
    title = _("Report a safety incident")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            kwargs["initial"] = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        return kwargs

    def save(self, form):
        return services.report_incident(form, actor=self.request.user)


class IncidentCreateOnOrder(IncidentCreate):
    """Report a safety incident on a work order: the team, the site and the day come from the order."""

    parent_model = WorkOrder
    parent_lookup = "pk"
    parent_url_kwarg = "pk"

    def new_instance(self, parent):
        return SafetyIncident(work_order=parent, team=parent.team, site=parent.site)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            kwargs["initial"] = {
                "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
                "team": self.parent.team_id, "work_order": self.parent.pk, "site": self.parent.site_id,
            }  # fmt: skip
        return kwargs


class IncidentUpdate(ScopedFormView):
    model = SafetyIncident
    form_class = forms.SafetyIncidentForm

    def save(self, form):
        return services.report_incident(form, actor=self.request.user)


class IncidentTransition(ScopedFormView):
    """Follow up an incident, close it or reopen it."""

    model = SafetyIncident
    form_class = forms.IncidentTransitionForm
    crumb_label = _("Status")

    def get_title(self):
        return gettext("Status of “%(incident)s”") % {"incident": self.object}

    def save(self, form):
        return services.transition_incident(self.object, form.cleaned_data["transition"], actor=self.request.user,
                                            **form.transition_fields())  # fmt: skip
