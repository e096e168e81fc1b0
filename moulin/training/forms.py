from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.access.roles import Role
from moulin.accounts.models import User
from moulin.core.forms import FilterForm, ModelForm
from moulin.organisations.models import Organisation, Premises
from moulin.participants.enums import PathwayStatus
from moulin.participants.models import Participant
from moulin.partners.models import Partner
from moulin.training.enums import WEEKDAYS, CourseKind, EnrolmentStatus, ProviderKind
from moulin.training.models import Course, Enrolment, ParticipantSkill, Session, Skill
from moulin.training.policies import WRITERS


class CourseForm(ModelForm):
    class Meta:
        model = Course
        fields = [
            "title", "code", "organisation", "kind", "hours", "provider_kind", "provider", "gives_certificate",
            "attendance_threshold", "open_to_public", "skills", "description", "is_active",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "skills": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.fields["organisation"].queryset = policy_for(Course).organisations_for_add(user.scope)
        self.fields["provider"].queryset = Partner.objects.visible_to(user)
        if self.instance.pk:
            # a course stays with the organisation that runs it
            self.fields["organisation"].disabled = True
        elif self.fields["organisation"].queryset.count() == 1:
            self.initial.setdefault("organisation", self.fields["organisation"].queryset.first())


class SessionForm(ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("Meets on"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple,
        help_text=_("The weekdays on which the session meets between its first and last day."),
    )  # fmt: skip

    class Meta:
        model = Session
        fields = [
            "start_date", "end_date", "weekdays", "hours_per_day", "capacity", "place", "location", "trainer",
            "trainer_name", "notes",
        ]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput, "end_date": forms.DateInput, "notes": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        course = self.instance.course
        self.initial["weekdays"] = sorted(self.instance.weekday_numbers) if self.instance.weekdays else []
        self.initial["weekdays"] = [str(d) for d in self.initial["weekdays"]]
        self.fields["place"].queryset = Premises.objects.visible_to(self.request.user).select_related("organisation")
        staff = User.objects.filter(
            Q(role_assignments__organisation=course.organisation_id, role_assignments__role__in=list(WRITERS))
            | Q(role_assignments__organisation__isnull=True, role_assignments__role=Role.COACH)
        )
        self.fields["trainer"].queryset = staff.distinct().order_by("full_name")
        if not self.instance.pk and self.instance.hours_per_day is None:
            self.initial.setdefault("hours_per_day", 4)

    def clean_weekdays(self):
        return ",".join(sorted(self.cleaned_data["weekdays"]))


class EnrolmentForm(ModelForm):
    """Enrol a worker. A full session puts them on the waiting list."""

    class Meta:
        model = Enrolment
        fields = ["participant", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = self.instance.session.enrolments.exclude(status=EnrolmentStatus.CANCELLED).exclude(
            participant__isnull=True
        )
        self.fields["participant"].required = True
        self.fields["participant"].queryset = (
            Participant.objects.visible_to(self.request.user)
            .active()
            .not_anonymised()
            .exclude(status__in=[PathwayStatus.EXITED, PathwayStatus.REDIRECTED])
            .exclude(pk__in=taken.values("participant"))
            .order_by("last_name", "first_name")
        )


class PublicEnrolmentForm(ModelForm):
    """Enrol a member of the public in a course open to them."""

    class Meta:
        model = Enrolment
        fields = ["public_name", "public_email", "public_phone", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_name"].required = True
        self.fields["public_name"].label = _("Name")

    def clean(self):
        data = super().clean()
        if not self.instance.session.course.open_to_public:
            raise forms.ValidationError(_("This course is not open to the public: only workers can be enrolled."))
        return data


class SkillForm(ModelForm):
    class Meta:
        model = Skill
        fields = ["name", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ParticipantSkillForm(ModelForm):
    date_limits = {"acquired_on": (-3650, 0)}

    class Meta:
        model = ParticipantSkill
        fields = ["skill", "acquired_on", "note"]
        widgets = {"acquired_on": forms.DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("acquired_on", timezone.localdate())


class CourseFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    organisation = forms.ModelChoiceField(label=_("Organised by"), queryset=Organisation.objects.none())
    provider_kind = forms.ChoiceField(label=_("Provider"), choices=ProviderKind.choices)
    public = forms.ChoiceField(label=_("Open to the public"), choices=[("yes", _("Yes")), ("no", _("No"))])
    lookups = {"kind": "kind", "organisation": "organisation", "provider_kind": "provider_kind"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(self.request.user)

    def filter_public(self, qs, value):
        return qs.filter(open_to_public=value == "yes")


class SessionFilterForm(FilterForm):
    period = forms.ChoiceField(label=_("When"), choices=[("upcoming", _("Running or to come")), ("past", _("Over"))])
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    organisation = forms.ModelChoiceField(label=_("Organised by"), queryset=Organisation.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    lookups = {"kind": "course__kind", "organisation": "course__organisation", "year": "start_date__year"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(self.request.user)

    def filter_period(self, qs, value):
        today = timezone.localdate()
        return qs.filter(end_date__gte=today) if value == "upcoming" else qs.filter(end_date__lt=today)


class EnrolmentFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=EnrolmentStatus.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    public = forms.ChoiceField(
        label=_("Who"), choices=[("workers", _("Workers")), ("public", _("Members of the public"))]
    )
    lookups = {"status": "status", "kind": "session__course__kind", "year": "session__start_date__year"}

    def filter_public(self, qs, value):
        return qs.filter(participant__isnull=value == "public")
