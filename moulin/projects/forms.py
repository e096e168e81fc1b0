import datetime

from django import forms
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.accounts.models import RoleAssignment, User
from moulin.core.forms import FilterForm, Form, ModelForm
from moulin.organisations.forms import OrganisationFilterMixin
from moulin.organisations.models import Domain, Organisation
from moulin.partners.models import Partner
from moulin.projects.enums import NeedStatus, Priority, ProjectStatus, ServiceLine, Term
from moulin.projects.indicators import source_choices
from moulin.projects.models import Indicator, IndicatorValue, Need, Project, Team
from moulin.projects.services import TRANSITIONS, allowed_transitions
from moulin.territory.models import Commune


class NeedForm(ModelForm):
    date_limits = {"raised_on": (-3650, 0)}

    class Meta:
        model = Need
        fields = ["commune", "title", "raised_by", "partner", "raised_on", "domain", "priority", "description",
                  "organisation"]  # fmt: skip
        widgets = {"raised_on": forms.DateInput, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            user = self.request.user
            self.fields["commune"].queryset = policy_for(Need).communes_for_add(user.scope).order_by("name")
            orgs = Organisation.objects.visible_to(user)
            if not user.scope.network_wide and not user.scope.commune_ids:
                # a manager follows a need up for an organisation they may run projects for
                orgs = policy_for(Project).organisations_for_add(user.scope)
            self.fields["organisation"].queryset = orgs
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        self.fields["partner"].required = False
        if not self.initial.get("raised_on"):
            self.initial["raised_on"] = timezone.localdate()


class NeedStatusForm(Form):
    """Move a need along one of its allowed transitions (declining asks for a reason)."""

    transition = forms.ChoiceField(label=_("New status"))
    decline_reason = forms.CharField(
        label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the need is declined."),
    )  # fmt: skip

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in allowed_transitions(instance)]

    def clean(self):
        data = super().clean()
        transition = TRANSITIONS.get(data.get("transition") or "")
        for name, message in transition.required.items() if transition else ():
            if not (data.get(name) or "").strip():
                self.add_error(name, message)
        return data


class ProjectForm(ModelForm):
    class Meta:
        model = Project
        fields = ["organisation", "name", "domain", "service_line", "term", "start", "end", "status", "communes",
                  "needs", "objectives", "description", "budget"]  # fmt: skip
        widgets = {
            "start": forms.DateInput,
            "end": forms.DateInput,
            "communes": forms.SelectMultiple(attrs={"size": 8}),
            "needs": forms.SelectMultiple(attrs={"size": 8}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            user = self.request.user
            self.fields["organisation"].queryset = policy_for(Project).organisations_for_add(user.scope)
            needs = Need.objects.visible_to(user).select_related("commune")
            current = self.instance.needs.values("pk") if self.instance.pk else Need.objects.none().values("pk")
            self.fields["needs"].queryset = (
                needs.exclude(status=NeedStatus.DECLINED) | Need.objects.filter(pk__in=current)
            ).order_by("commune__name", "title", "-raised_on")
            # several needs of a commune may share a title: the date they were raised tells them apart
            self.fields["needs"].label_from_instance = lambda need: (
                f"{need.title} ({need.commune.name}, {date_format(need.raised_on, 'SHORT_DATE_FORMAT')})"
            )
        self.fields["needs"].help_text = _("Saving the project marks these needs as addressed.")
        self.fields["communes"].help_text = _("Hold Ctrl (or ⌘) to choose several.")

    def clean(self):
        data = super().clean()
        communes = set(data.get("communes") or [])
        for need in data.get("needs") or []:
            if need.status == NeedStatus.DECLINED and need not in self.instance_needs():
                self.add_error("needs", _("“%(need)s” was declined: reopen it first.") % {"need": need.title})
            elif communes and need.commune not in communes:
                self.add_error(
                    "needs",
                    _("“%(need)s” was raised in %(commune)s, which this project does not serve.")
                    % {"need": need.title, "commune": need.commune},
                )
        return data

    def instance_needs(self):
        return set(self.instance.needs.all()) if self.instance.pk else set()


class IndicatorForm(ModelForm):
    source = forms.ChoiceField(label=_("Source of the actual"))

    class Meta:
        model = Indicator
        fields = ["name", "unit", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()
        self.fields["source"].widget.attrs["class"] = "form-select"
        if not self.instance.pk and self.instance.project_id:  # a new indicator comes after the project's others
            last = self.instance.project.indicators.aggregate(last=Max("position"))["last"]
            self.instance.position = 0 if last is None else last + 1


class IndicatorValueForm(ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["year", "target", "actual"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.initial.get("year"):
            self.initial["year"] = timezone.localdate().year
        if self.instance.indicator_id and self.instance.indicator.is_computed:
            self.fields["actual"].disabled = True
            self.fields["actual"].help_text = _("Computed from the records.")


class TeamForm(ModelForm):
    class Meta:
        model = Team
        fields = ["name", "leader", "size", "communes", "is_active"]
        widgets = {"communes": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org_id = self.instance.project.organisation_id if self.instance.project_id else None
        from django.db.models import Q

        members = RoleAssignment.objects.filter(organisation=org_id).values("user")
        users = User.objects.filter(Q(is_active=True, pk__in=members) | Q(pk=self.instance.leader_id or 0))
        self.fields["leader"].queryset = users.order_by("full_name")
        self.fields["leader"].help_text = _("Someone holding a role in the lead organisation.")
        if self.instance.project_id:
            served = self.instance.project.communes.all()
            if served:
                self.fields["communes"].queryset = served


class NeedFilterForm(OrganisationFilterMixin, FilterForm):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all())
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.all())
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)
    year = forms.IntegerField(label=_("Raised in"), min_value=1990, max_value=2100)
    lookups = {"commune": "commune", "domain": "domain", "status": "status", "priority": "priority",
               "year": "raised_on__year"}  # fmt: skip

    def filter_organisation(self, qs, org):
        answered = Project.needs.through.objects.filter(project__organisation=org).values("need")
        return qs.filter(organisation=org) | qs.filter(pk__in=answered)


class ProjectFilterForm(OrganisationFilterMixin, FilterForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all())
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.all())
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices)
    service_line = forms.ChoiceField(label=_("Service line"), choices=ServiceLine.choices)
    lookups = {"organisation": "organisation", "domain": "domain", "status": "status", "term": "term",
               "service_line": "service_line"}  # fmt: skip

    def filter_commune(self, qs, commune):
        return qs.filter(pk__in=Project.communes.through.objects.filter(commune=commune).values("project"))


class TeamFilterForm(OrganisationFilterMixin, FilterForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all())
    service_line = forms.ChoiceField(label=_("Service line"), choices=ServiceLine.choices)
    lookups = {"organisation": "project__organisation", "service_line": "project__service_line"}

    def filter_commune(self, qs, commune):
        return qs.filter(pk__in=Team.communes.through.objects.filter(commune=commune).values("team"))


class PlanningYearForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)

    def selected_year(self) -> int:
        today = timezone.localdate()
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return today.year


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
