import datetime
import json
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.core.forms import DateInput, FilterForm, Form, ModelForm
from moulin.fieldwork.models import (
    EntryKind,
    IncidentKind,
    IncidentStatus,
    RecurringOrder,
    RequiredTraining,
    SafetyIncident,
    Severity,
    Site,
    SiteKind,
    TimeEntry,
    WorkOrder,
    WorkOrderStatus,
)
from moulin.organisations.models import Organisation
from moulin.projects.enums import ServiceLine
from moulin.projects.models import Team
from moulin.territory.models import Commune


class GeometryField(forms.JSONField):
    """The site's point or line, drawn on the map (a hidden field the map script fills with GeoJSON)."""

    widget = forms.HiddenInput

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return json.dumps(value) if value else ""


class SiteForm(ModelForm):
    geometry = GeometryField(label=_("On the map"), help_text=_("Click once for a point, or draw a line."))

    class Meta:
        model = Site
        fields = ["name", "kind", "commune", "geometry", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        project = self.instance.project if self.instance.project_id else None
        if project is not None:
            self.fields["commune"].queryset = project.communes.all() or Commune.objects.all()
        self.fields["geometry"].widget.attrs.update({"data-site-geometry": "1"})


class RecurringOrderForm(ModelForm):
    class Meta:
        model = RecurringOrder
        fields = ["title", "team", "rule", "starts_on", "ends_on", "holiday_rule", "planned_hours", "checklist",
                  "is_active"]  # fmt: skip
        widgets = {"starts_on": DateInput, "ends_on": DateInput, "checklist": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = self.instance.site if self.instance.site_id else None
        teams = Team.objects.visible_to(self.request.user) if self.request else Team.objects.all()
        self.fields["team"].queryset = teams.filter(project=site.project) if site else teams.none()


class WorkOrderTransitionForm(Form):
    """Move a work order: done (with a report), cancelled (with a reason), moved to another day, reopened."""

    transition = forms.ChoiceField(label=_("What happened"))
    cancel_reason = forms.CharField(label=_("Reason for cancelling"), required=False, max_length=255)
    date = forms.DateField(label=_("New day"), required=False, widget=DateInput)
    start_time = forms.TimeField(label=_("From (time)"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))  # fmt: skip
    report = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    unticked_reason = forms.CharField(
        label=_("Why required items are not ticked"), required=False, max_length=255,
        help_text=_("Only when the work is done with required checklist items left unticked."),
    )  # fmt: skip

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in WorkOrder.workflow.allowed(instance)]

    def transition_fields(self) -> dict:
        data = self.cleaned_data
        name = data["transition"]
        fields = set(WorkOrder.workflow[name].fields) - {"moved_from"}
        return {f: data.get(f) if f in ("date", "start_time") else (data.get(f) or "") for f in fields}


class WorkOrderForm(Form):
    """A single work order in a team's week (no recurrence)."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    title = forms.CharField(label=_("Work"), max_length=160)
    date = forms.DateField(label=_("Day"), widget=DateInput)
    start_time = forms.TimeField(label=_("From (time)"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))  # fmt: skip
    planned_hours = forms.DecimalField(label=_("Planned duration (hours)"), min_value=Decimal("0.5"),
                                       max_value=Decimal("10"), decimal_places=1)  # fmt: skip
    checklist = forms.CharField(
        label=_("Checklist"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item a line; start a line with ! for an item required before the work is done."),
    )  # fmt: skip

    def __init__(self, *args, instance=None, team=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        sites = Site.objects.visible_to(self.request.user) if self.request else Site.objects.none()
        if team is not None:
            sites = sites.filter(project_id=team.project_id, is_active=True)
        self.fields["site"].queryset = sites.select_related("commune").order_by("name")


class ReassignForm(Form):
    """Give one work order (or its recurrence from that day on) to another team of the site's project."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    following = forms.TypedChoiceField(
        label=_("Which work orders"), coerce=lambda v: v == "1", initial="0", widget=forms.RadioSelect,
        choices=[("0", _("Only this one")), ("1", _("This one and the following ones of its recurrence"))],
    )  # fmt: skip

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        teams = Team.objects.none()
        if instance is not None and self.request is not None:
            candidates = Team.objects.filter(project_id=instance.site.project_id).exclude(pk=instance.team_id)
            scope = self.request.user.scope
            policy = policy_for(WorkOrder)
            allowed = [t.pk for t in candidates.select_related("project") if policy.can_add(scope, under=t)]
            teams = Team.objects.filter(pk__in=allowed).order_by("name")
        self.fields["team"].queryset = teams
        if instance is not None and instance.recurring_id is None:
            del self.fields["following"]


class ChecklistForm(Form):
    """Tick the items of a work order's checklist."""

    items = forms.TypedMultipleChoiceField(label=_("Checklist"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        items = instance.checklist if instance is not None else []
        self.fields["items"].choices = [
            (i, f"{item['item']} *" if item.get("required") else item["item"]) for i, item in enumerate(items)
        ]
        if not self.is_bound:
            self.initial["items"] = [i for i, item in enumerate(items) if item.get("done")]


class TimeEntryForm(ModelForm):
    """One entry: a worker's hours on one day, for a work order, a care intervention, training or coaching."""

    class Meta:
        model = TimeEntry
        fields = ["participant", "date", "kind", "work_order", "intervention", "hours", "note"]
        widgets = {"date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from moulin.participants.models import Participant

        user = self.request.user
        self.fields["participant"].queryset = Participant.objects.visible_to(user).filter(contracts__isnull=False)
        self.fields["participant"].queryset = self.fields["participant"].queryset.distinct()
        today = timezone.localdate()
        orders = WorkOrder.objects.visible_to(user).exclude(status=WorkOrderStatus.CANCELLED)
        recent = orders.filter(date__range=(today - datetime.timedelta(days=31), today + datetime.timedelta(days=7)))
        if self.instance.pk and self.instance.work_order_id:
            recent = recent | orders.filter(pk=self.instance.work_order_id)
        self.fields["work_order"].queryset = recent.select_related("site")
        from moulin.care.models import Intervention

        interventions = Intervention.objects.visible_to(user).filter(
            date__range=(today - datetime.timedelta(days=31), today + datetime.timedelta(days=7))
        )
        if self.instance.pk and self.instance.intervention_id:
            interventions = interventions | Intervention.objects.filter(pk=self.instance.intervention_id)
        self.fields["intervention"].queryset = interventions.select_related("request")
        self.fields["hours"].widget.attrs.update({"step": "0.25", "min": "0.25", "max": "10"})
        if self.instance.pk:  # a correction keeps the worker: delete the entry to record someone else's hours
            self.fields["participant"].disabled = True


class TimeSheetForm(Form):
    """The hours of every worker of the team on one work order, each pre-filled with the planned duration."""

    def __init__(self, *args, instance=None, rows=(), **kwargs):
        self.instance = instance
        self.rows = list(rows)
        super().__init__(*args, **kwargs)
        for row in self.rows:
            pk = row["participant"].pk
            self.fields[f"hours_{pk}"] = forms.DecimalField(
                label=str(row["participant"]), required=False, min_value=0, max_value=10, decimal_places=2,
                initial=row["planned"] if row["recorded"] is None else None,
                widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
            )  # fmt: skip
            self.fields[f"key_{pk}"] = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def lines(self):
        """Each worker's row with its hours and idempotency-key fields."""
        return [
            (row, self[f"hours_{row['participant'].pk}"], self[f"key_{row['participant'].pk}"]) for row in self.rows
        ]

    def entries(self):
        for row in self.rows:
            pk = row["participant"].pk
            hours = self.cleaned_data.get(f"hours_{pk}")
            if hours:
                yield row["participant"], hours, self.cleaned_data.get(f"key_{pk}")


class RequiredTrainingForm(ModelForm):
    class Meta:
        model = RequiredTraining
        fields = ["course", "site_kind", "work_kind", "valid_months", "applies_from", "note"]
        widgets = {"applies_from": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from moulin.training.models import Course

        self.fields["course"].queryset = Course.objects.filter(is_active=True, gives_certificate=True)


class SafetyIncidentForm(ModelForm):
    """A safety incident reported in the field (from the phone too): on a work order, a site or an intervention."""

    class Meta:
        model = SafetyIncident
        fields = ["team", "work_order", "site", "intervention", "occurred_at", "kind", "severity", "involved",
                  "others_involved", "description", "first_aid", "actions", "lost_days"]  # fmt: skip
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "involved": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "first_aid": forms.Textarea(attrs={"rows": 2}),
            "actions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from moulin.care.models import Intervention
        from moulin.participants.models import Participant

        user = self.request.user
        scope = user.scope
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        teams = Team.objects.visible_to(user).select_related("project")
        allowed = [t.pk for t in teams if policy_for(SafetyIncident).can_add(scope, under=t)]
        self.fields["team"].queryset = Team.objects.filter(pk__in=allowed).order_by("name")
        order = self.instance.work_order if self.instance.work_order_id else None
        team_ids = [self.instance.team_id] if self.instance.team_id else allowed
        today = timezone.localdate()
        orders = WorkOrder.objects.visible_to(user).filter(
            team_id__in=team_ids, date__range=(today - datetime.timedelta(days=31), today)
        )
        if order is not None:
            orders = orders | WorkOrder.objects.filter(pk=order.pk)
        self.fields["work_order"].queryset = orders.select_related("site")
        self.fields["site"].queryset = Site.objects.visible_to(user).filter(project__teams__in=team_ids).distinct()
        self.fields["intervention"].queryset = (
            Intervention.objects.visible_to(user)
            .filter(team_id__in=team_ids, date__range=(today - datetime.timedelta(days=31), today))
            .select_related("request")
        )
        self.fields["involved"].queryset = (
            Participant.objects.visible_to(user).filter(contracts__team_id__in=team_ids).distinct()
            .order_by("last_name", "first_name")
        )  # fmt: skip


class IncidentTransitionForm(Form):
    transition = forms.ChoiceField(label=_("Step"))
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(label=_("Actions taken"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in SafetyIncident.workflow.allowed(instance)]
        if instance is not None and not self.is_bound:
            self.initial.update(follow_up=instance.follow_up, actions=instance.actions)

    def transition_fields(self) -> dict:
        name = self.cleaned_data["transition"]
        return {f: self.cleaned_data.get(f) or "" for f in SafetyIncident.workflow[name].fields}


class IncidentFilterForm(FilterForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    status = forms.ChoiceField(label=_("Status"), choices=IncidentStatus.choices)
    lookups = {"team": "team", "kind": "kind", "severity": "severity", "status": "status"}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            incidents = SafetyIncident.objects.visible_to(request.user)
            self.fields["team"].queryset = Team.objects.filter(pk__in=incidents.values("team")).order_by("name")


class SiteFilterForm(FilterForm):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all())
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    project = forms.IntegerField(widget=forms.HiddenInput)  # a project page's "and N more sites"
    lookups = {"commune": "commune", "kind": "kind", "project": "project"}


class WorkOrderFilterForm(FilterForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=WorkOrderStatus.choices)
    date_from = forms.DateField(label=_("From"), widget=DateInput)
    date_to = forms.DateField(label=_("Until"), widget=DateInput)
    lookups = {"team": "team", "status": "status", "date_from": "date__gte", "date_to": "date__lte"}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.fields["team"].queryset = _env_teams(request.user)


class TimeEntryFilterForm(FilterForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    kind = forms.ChoiceField(label=_("For"), choices=EntryKind.choices)
    participant = forms.IntegerField(widget=forms.HiddenInput)
    date_from = forms.DateField(label=_("From"), widget=DateInput)
    date_to = forms.DateField(label=_("Until"), widget=DateInput)
    lookups = {"team": "team", "kind": "kind", "participant": "participant",
               "date_from": "date__gte", "date_to": "date__lte"}  # fmt: skip

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.fields["team"].queryset = _env_teams(request.user)


class WeekForm(Form):
    week = forms.DateField(label=_("Week of"), required=False, widget=DateInput)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("All (summary)"),
    )  # fmt: skip
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # choosing an organisation shows its week at once, with the team list narrowed to its teams
        self.fields["organisation"].widget.attrs["data-autosubmit"] = ""
        if self.request is not None:
            teams = _env_teams(self.request.user)
            self.fields["organisation"].queryset = (
                Organisation.objects.visible_to(self.request.user)
                .filter(pk__in=teams.values("project__organisation"))
                .only("pk", "name", "short_name")
                .order_by("name")
            )
            chosen = str(self.data.get("organisation") or "") if self.is_bound else ""
            if chosen.isdigit():
                teams = teams.filter(project__organisation=int(chosen))
                team = str(self.data.get("team") or "")
                if team and not (team.isdigit() and teams.filter(pk=int(team)).exists()):
                    # the team of the week shown before belongs to another organisation: the change drops it
                    self.data = self.data.copy()
                    self.data.pop("team")
            self.fields["team"].queryset = teams

    def monday(self) -> datetime.date:
        day = (self.cleaned_data.get("week") if self.is_valid() else None) or timezone.localdate()
        return day - datetime.timedelta(days=day.weekday())

    def selected_team(self):
        return self.cleaned_data.get("team") if self.is_valid() else None

    def selected_organisation(self):
        return self.cleaned_data.get("organisation") if self.is_valid() else None


def _env_teams(user):
    """The environmental teams the user reaches through the work orders they may read."""
    orders = WorkOrder.objects.visible_to(user)
    teams = Team.objects.filter(project__service_line=ServiceLine.ENVIRONMENTAL_TEAM, pk__in=orders.values("team"))
    return teams.select_related("project").order_by("name")
