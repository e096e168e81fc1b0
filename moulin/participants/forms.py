from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.access.roles import Role
from moulin.accounts.models import User
from moulin.core.forms import FilterForm, Form, ModelForm, current_value, follows, style_fields
from moulin.formats import short_date
from moulin.organisations.models import Organisation
from moulin.participants import enums
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
    SensitiveData,
)
from moulin.participants.services import check_attachment, check_referred_person, find_duplicates
from moulin.participants.validators import check_age, normalise_jobseeker_number

DATE = forms.DateInput
PERSON_FIELDS = ["first_name", "last_name", "birth_date", "gender", "jobseeker_number", "email", "phone", "address",
                 "postcode", "locality", "residence_commune"]  # fmt: skip


def default_initial(form, name, value) -> None:
    """A starting value for a field the instance leaves empty (a model form's initial holds its Nones)."""
    if form.initial.get(name) in (None, ""):
        form.initial[name] = value


def writable_organisations(user):
    """Member organisations a person may be referred to or moved to: those the participant policy lets the user
    add a record under (people are employed by member organisations, not by the resource centre)."""
    return policy_for(Participant).organisations_for_add(user.scope).members()


def coaches_for(organisation):
    """Users who hold the coach (or manager) role in the organisation, or are network-wide coaches."""
    from django.db.models import Q

    return User.objects.filter(
        Q(role_assignments__role__in=[Role.COACH, Role.ORG_MANAGER], role_assignments__organisation=organisation)
        | Q(role_assignments__role=Role.COACH, role_assignments__organisation__isnull=True)
    ).distinct()


class ReferralForm(Form):
    """A referral: the person (when new) and the referral; a possible duplicate is shown with the choice to
    attach the referral to the existing record."""

    #: a referral has happened (not in the future); the age is checked by ``check_age``
    date_limits = {"date": (-3650, 0)}

    organisation = forms.ModelChoiceField(label=_("Referred to"), queryset=Organisation.objects.none())
    date = forms.DateField(label=_("Referral date"), widget=DATE)
    source = forms.ChoiceField(label=_("Referred by"), choices=enums.ReferralSource.choices)
    referrer = forms.CharField(label=_("Referring office or person"), required=False, max_length=150)
    duplicate = forms.ChoiceField(label=_("This person may already be known"), required=False,
                                  widget=forms.RadioSelect)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = forms.fields_for_model(Participant, PERSON_FIELDS, widgets={"birth_date": DATE})
        self.fields.update(person)
        style_fields(self)
        self.duplicates = []
        self.attach_to = None
        self.fields["birth_date"].required = True
        if self.request is not None:
            orgs = writable_organisations(self.request.user)
            self.fields["organisation"].queryset = orgs
            if len(orgs) == 1:
                default_initial(self, "organisation", orgs[0].pk)
        default_initial(self, "date", timezone.localdate())
        self.order_fields(["organisation", "date", "source", "referrer", *PERSON_FIELDS, "duplicate"])
        # the choice shows only once a possible duplicate is found (see ``clean``)
        chosen = self.data.get(self.add_prefix("duplicate"), "") if self.is_bound else ""
        self.fields["duplicate"].choices = [(chosen, "—")]
        self.fields["duplicate"].widget = forms.HiddenInput()

    def clean_jobseeker_number(self):
        return normalise_jobseeker_number(self.cleaned_data.get("jobseeker_number", ""))

    def clean(self):
        data = super().clean()
        try:  # the rules live in the service (which checks them again): asked first, before any duplicate
            check_referred_person(birth_date=data.get("birth_date"), date=data.get("date"), source=data.get("source"),
                                  jobseeker_number=data.get("jobseeker_number"))  # fmt: skip
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        if self.errors:
            return data
        self.duplicates = find_duplicates(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            birth_date=data.get("birth_date"),
            jobseeker_number=data.get("jobseeker_number", ""),
        )
        if not self.duplicates:
            return data
        number = data.get("jobseeker_number")
        same_number = bool(number) and any(p.jobseeker_number == number for p in self.duplicates)
        choices = [(str(p.public_id), _("Attach this referral to %(name)s (born %(born)s, %(org)s)") % {
            "name": p.display_name, "born": short_date(p.birth_date) if p.birth_date else "—",
            "org": p.organisation.display_name}) for p in self.duplicates]  # fmt: skip
        if not same_number:
            choices.append(("new", _("This is a different person: create a new record")))
        self.fields["duplicate"].choices = choices
        self.fields["duplicate"].widget = forms.RadioSelect(choices=choices)
        chosen = self.data.get(self.add_prefix("duplicate"), "")
        if chosen == "new" and not same_number:
            return data
        match = next((p for p in self.duplicates if str(p.public_id) == chosen), None)
        if match is None:
            message = (
                _("A person with this ADEM jobseeker number is already recorded: attach the referral to them.")
                if same_number
                else _("A person with this name and date of birth is already recorded: attach the referral to "
                       "them, or confirm that this is someone else.")
            )  # fmt: skip
            self.add_error("duplicate", message)
            return data
        try:
            check_attachment(match, data.get("organisation"))
        except forms.ValidationError as exc:
            self.add_error(None, exc)
            return data
        self.attach_to = match
        return data

    def person(self) -> Participant:
        return Participant(**{name: self.cleaned_data.get(name) or "" for name in PERSON_FIELDS if name not in
                              ("birth_date", "residence_commune")}, birth_date=self.cleaned_data.get("birth_date"),
                           residence_commune=self.cleaned_data.get("residence_commune"))  # fmt: skip


class ParticipantForm(ModelForm):
    class Meta:
        model = Participant
        fields = [*PERSON_FIELDS, "organisation", "coach"]
        widgets = {"birth_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["organisation"].queryset = writable_organisations(
                self.request.user
            ) | Organisation.objects.filter(pk=self.instance.organisation_id)
        self.fields["coach"].queryset = coaches_for(self.instance.organisation)

    def clean_jobseeker_number(self):
        return normalise_jobseeker_number(self.cleaned_data.get("jobseeker_number", ""))

    def clean(self):
        data = super().clean()
        if data.get("birth_date") and "birth_date" in self.changed_data:
            try:
                check_age(data["birth_date"], self.instance.first_referred_on or timezone.localdate())
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        if not self.errors:
            others = find_duplicates(
                first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
                birth_date=data.get("birth_date"), jobseeker_number=data.get("jobseeker_number", ""),
                exclude_pk=self.instance.pk,
            )  # fmt: skip
            if (
                others
                and data.get("jobseeker_number")
                and any(p.jobseeker_number == data["jobseeker_number"] for p in others)
            ):
                self.add_error("jobseeker_number", _("Another person already has this ADEM jobseeker number: ask "
                                                     "the network office to merge the two records."))  # fmt: skip
        return data


class IntakeForm(ModelForm):
    date_limits = {"date": (-3650, 0)}

    class Meta:
        model = Intake
        fields = ["date", "coach", "outcome", "redirect_reason", "referral"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        participant = self.instance.participant
        self.fields["coach"].queryset = coaches_for(participant.organisation)
        self.fields["referral"].queryset = participant.referrals.all()
        if self.request is not None and not self.instance.pk:
            default_initial(self, "coach", self.request.user.pk)
            default_initial(self, "date", timezone.localdate())
            default_initial(self, "referral", participant.referrals.first())


class ContractForm(ModelForm):
    error_fields = {"ended_on": "planned_end", "end_reason": "planned_end", "participant": "start"}
    date_limits = {"start": (-3650, 365)}

    class Meta:
        model = EmploymentContract
        fields = ["organisation", "project", "team", "contract_type", "measure", "start", "planned_end",
                  "weekly_hours", "funder", "exceeds_maximum", "exception_reason"]  # fmt: skip
        widgets = {"start": DATE, "planned_end": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from moulin.projects.models import Project, Team

        participant = self.instance.participant
        org = self.instance.organisation if self.instance.organisation_id else participant.organisation
        self.fields["organisation"].queryset = Organisation.objects.filter(pk=org.pk)
        default_initial(self, "organisation", org.pk)
        self.fields["project"].queryset = Project.objects.filter(organisation=org)
        teams = Team.objects.filter(project__organisation=org).select_related("project")
        project = current_value(self, "project")
        if project not in (None, ""):
            teams = teams.filter(project=project) if str(project).isdigit() else teams.none()
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda team: f"{team.name} ({team.project.name})"
        follows(self, "team", "project")
        self.fields["measure"].queryset = EmploymentMeasure.objects.filter(is_active=True)
        if not self.instance.pk:
            default_initial(self, "measure", EmploymentMeasure.objects.filter(code="ISE").first())
            default_initial(self, "contract_type", enums.ContractType.FIXED_TERM)
            default_initial(self, "weekly_hours", 40)
            default_initial(self, "funder", "Fonds pour l'emploi")


class RenewForm(Form):
    date_limits = {"planned_end": (-365, 3 * 365)}
    planned_end = forms.DateField(label=_("New planned end"), widget=DATE)
    weekly_hours = forms.DecimalField(label=_("Weekly hours"), max_digits=4, decimal_places=1, required=False)
    exceeds_maximum = forms.BooleanField(label=_("Exception to the measure's maximum"), required=False)
    exception_reason = forms.CharField(label=_("Reason for the exception"), required=False, max_length=255)


class EndContractForm(Form):
    date_limits = {"ended_on": (-3650, 90)}
    ended_on = forms.DateField(label=_("Last day"), widget=DATE)
    end_reason = forms.ChoiceField(label=_("Reason"), choices=enums.EndReason.choices)


class EntryDataForm(ModelForm):
    date_limits = {"recorded_on": (-3650, 0), "unemployed_since": (None, 0)}

    class Meta:
        model = EntryData
        fields = ["recorded_on", "labour_market_status", "unemployed_since", "education_level", "household"]
        widgets = {"recorded_on": DATE, "unemployed_since": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            default_initial(self, "recorded_on", timezone.localdate())


class SensitiveDataForm(ModelForm):
    #: a consent has been given (not in the future)
    date_limits = {
        f"{name}_consent": (-3650, 0)
        for name in ("disability", "third_country_national", "foreign_background", "minority", "homeless")
    }

    class Meta:
        model = SensitiveData
        fields = ["disability", "disability_consent", "third_country_national", "third_country_national_consent",
                  "foreign_background", "foreign_background_consent", "minority", "minority_consent", "homeless",
                  "homeless_consent"]  # fmt: skip
        widgets = {f: DATE for f in fields if f.endswith("_consent")}


class ObstacleForm(ModelForm):
    date_limits = {"identified_on": (-3650, 0), "resolved_on": (-3650, 0)}

    class Meta:
        model = PlanObstacle
        fields = ["kind", "detail", "identified_on", "resolved_on"]
        widgets = {"identified_on": DATE, "resolved_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default_initial(self, "identified_on", timezone.localdate())


class GoalForm(ModelForm):
    date_limits = {"target_date": (-365, 5 * 365), "achieved_on": (-3650, 0)}

    class Meta:
        model = PlanGoal
        fields = ["title", "target_date", "achieved_on"]
        widgets = {"target_date": DATE, "achieved_on": DATE}


class ActionForm(ModelForm):
    #: an action is planned ahead (or at most a year late); it is done by today
    date_limits = {"due_date": (-365, 5 * 365), "done_on": (-3650, 0)}

    class Meta:
        model = PlanAction
        fields = ["description", "goal", "owner", "owner_is_participant", "due_date", "status", "done_on"]
        widgets = {"due_date": DATE, "done_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        participant = self.instance.participant
        self.fields["goal"].queryset = participant.plangoals.all()
        self.fields["owner"].queryset = coaches_for(participant.organisation)
        if self.request is not None and not self.instance.pk:
            default_initial(self, "owner", self.request.user.pk)


class ReviewForm(ModelForm):
    date_limits = {"date": (-3650, 0)}

    class Meta:
        model = PlanReview
        fields = ["date", "coach", "summary"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches_for(self.instance.participant.organisation)
        if self.request is not None and not self.instance.pk:
            default_initial(self, "coach", self.request.user.pk)
            default_initial(self, "date", timezone.localdate())


class SessionForm(ModelForm):
    #: a coaching session is recorded once held
    date_limits = {"date": (-3650, 0)}

    class Meta:
        model = CoachingSession
        fields = ["date", "coach", "kind", "notes", "next_steps"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches_for(self.instance.participant.organisation)
        if self.request is not None and not self.instance.pk:
            default_initial(self, "coach", self.request.user.pk)
            default_initial(self, "date", timezone.localdate())


class ExitForm(ModelForm):
    date_limits = {"date": (-3650, 31), "situation_recorded_on": (-3650, 0)}

    class Meta:
        model = Exit
        fields = ["date", "reason", "situation", "situation_recorded_on", "employer", "qualification_gained",
                  "next_steps"]  # fmt: skip
        widgets = {"date": DATE, "situation_recorded_on": DATE, "next_steps": forms.Textarea(attrs={"rows": 3})}


class FollowUpForm(ModelForm):
    date_limits = {"done_on": (-3650, 0)}

    class Meta:
        model = FollowUp
        fields = ["done_on", "situation", "employer"]
        widgets = {"done_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["situation"].required = True
        default_initial(self, "done_on", timezone.localdate())


class MergeForm(Form):
    """Choose the duplicate among the likely ones (same name and birth date, or same ADEM number), or give the
    reference of any record (the code in its web address)."""

    candidate = forms.ChoiceField(label=_("Likely duplicates"), required=False, widget=forms.RadioSelect)
    duplicate = forms.UUIDField(
        label=_("Or the reference of another record"),
        required=False,
        help_text=_("The code in the duplicate record's web address: its pathway moves here."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [
            (str(p.public_id), f"{p.display_name} — {p.birth_date or '—'} — {p.organisation.display_name}")
            for p in candidates
        ]
        if not candidates:
            del self.fields["candidate"]

    def clean(self):
        data = super().clean()
        chosen = data.get("candidate") or data.get("duplicate")
        if not chosen:
            raise forms.ValidationError(_("Choose the duplicate record to merge into this one."))
        data["duplicate"] = chosen
        return data


class MeasureForm(ModelForm):
    class Meta:
        model = EmploymentMeasure
        fields = ["code", "name", "name_local", "max_months", "target_group", "legal_basis", "is_active"]
        widgets = {"target_group": forms.Textarea(attrs={"rows": 3})}


class PathwaySettingsForm(ModelForm):
    class Meta:
        model = PathwaySettings
        fields = ["retention_months"]


class ParticipantFilterForm(FilterForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=enums.PathwayStatus.choices)
    lookups = {"organisation": "organisation", "status": "status"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(self.request.user).members()


class ContractFilterForm(FilterForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=EmploymentMeasure.objects.all())
    ending = forms.ChoiceField(label=_("Ending"), choices=[("2m", _("within two months")), ("current", _("current"))])
    year = forms.IntegerField(label=_("Started in"), min_value=1990, max_value=2100)
    lookups = {"organisation": "organisation", "measure": "measure", "year": "start__year"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(self.request.user).members()

    def filter_ending(self, qs, value):
        from moulin.participants.validators import add_months

        today = timezone.localdate()
        if value == "2m":
            return qs.ending_between(today, add_months(today, 2))
        return qs.current(today)
