import datetime
import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.core.forms import DateInput, FilterForm, Form, ModelForm
from moulin.fieldwork.models import (
    EntryKind,
    RecurringOrder,
    Site,
    SiteKind,
    TimeEntry,
    WorkOrder,
    WorkOrderStatus,
)
from moulin.projects.enums import ServiceLine
from moulin.projects.models import Project, Team
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
    report = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in WorkOrder.workflow.allowed(instance)]

    def transition_fields(self) -> dict:
        data = self.cleaned_data
        name = data["transition"]
        fields = set(WorkOrder.workflow[name].fields) - {"moved_from"}
        return {f: data.get(f) if f == "date" else (data.get(f) or "") for f in fields}


class TimeEntryForm(ModelForm):
    """One entry: a worker's hours on one day, for a work order, training or coaching."""

    class Meta:
        model = TimeEntry
        fields = ["participant", "date", "kind", "work_order", "hours", "note"]
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
        self.fields["work_order"].queryset = recent.select_related("site")
        self.fields["hours"].widget.attrs.update({"step": "0.25", "min": "0.25", "max": "10"})


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


class SiteFilterForm(FilterForm):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all())
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    lookups = {"commune": "commune", "kind": "kind"}


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
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["team"].queryset = _env_teams(self.request.user)

    def monday(self) -> datetime.date:
        day = (self.cleaned_data.get("week") if self.is_valid() else None) or timezone.localdate()
        return day - datetime.timedelta(days=day.weekday())

    def selected_team(self):
        return self.cleaned_data.get("team") if self.is_valid() else None


def _env_teams(user):
    """The environmental teams the user reaches through the work orders they may read."""
    orders = WorkOrder.objects.visible_to(user)
    teams = Team.objects.filter(project__service_line=ServiceLine.ENVIRONMENTAL_TEAM, pk__in=orders.values("team"))
    return teams.select_related("project").order_by("name")


def env_projects_for_add(user):
    projects = Project.objects.visible_to(user).filter(service_line=ServiceLine.ENVIRONMENTAL_TEAM)
    scope = user.scope
    return [p for p in projects if policy_for(Site).can_add(scope, under=p)]
