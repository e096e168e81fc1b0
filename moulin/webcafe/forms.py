from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.accounts.models import RoleAssignment, User
from moulin.core.forms import DateInput, FilterForm, Form, ModelForm
from moulin.organisations.models import Premises
from moulin.territory.models import Commune
from moulin.training.enums import WEEKDAYS
from moulin.training.models import Course
from moulin.webcafe.enums import BAND_FIELDS, Language, Level, Topic
from moulin.webcafe.models import Closure, OpeningSlot, Venue, VisitDay


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class VenueForm(ModelForm):
    class Meta:
        model = Venue
        fields = ["organisation", "name", "premises", "leader", "computers", "has_printer", "has_wifi", "step_free",
                  "accessibility", "is_active"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = policy_for(Venue).organisations_for_add(self.request.user.scope)
        field = self.fields["organisation"]
        field.queryset = orgs
        org_ids = set(orgs.values_list("pk", flat=True))
        if self.instance.pk:
            field.disabled = True
            org_ids.add(self.instance.organisation_id)
        taken = Venue.objects.exclude(pk=self.instance.pk or 0).values("premises")
        premises = Premises.objects.filter(organisation__in=org_ids).exclude(pk__in=taken)
        self.fields["premises"].queryset = premises.select_related("commune").order_by("-kind", "name")
        self.fields["premises"].help_text = _("The organisation's premises (web café venues first); add them on the "
                                              "organisation's page.")  # fmt: skip
        members = RoleAssignment.objects.filter(organisation__in=org_ids).values("user")
        users = User.objects.filter(Q(is_active=True, pk__in=members) | Q(pk=self.instance.leader_id or 0))
        self.fields["leader"].queryset = users.order_by("full_name")


class OpeningSlotForm(ModelForm):
    class Meta:
        model = OpeningSlot
        fields = ["weekday", "opens", "closes", "valid_from", "valid_until"]
        widgets = {"opens": TimeInput, "closes": TimeInput, "valid_from": DateInput, "valid_until": DateInput}


class ClosureForm(ModelForm):
    class Meta:
        model = Closure
        fields = ["first_day", "last_day", "reason"]
        widgets = {"first_day": DateInput, "last_day": DateInput}


class VisitDayForm(ModelForm):
    """The visits of one day at the counter: a head count per age band."""

    date_limits = {"day": (-800, 0)}
    future_messages = {"day": _("Visits are counted on the day or after, never in advance.")}

    class Meta:
        model = VisitDay
        fields = ["day", *BAND_FIELDS]
        widgets = {"day": DateInput, **{band: forms.NumberInput(attrs={"min": 0}) for band in BAND_FIELDS}}

    def validate_constraints(self):
        """One row per venue and day: a day already recorded is corrected by ``services.record_visits``, not
        refused; the other constraints are checked."""
        exclude = self._get_validation_exclusions()
        try:
            self.instance.validate_constraints(exclude=exclude | {"venue", "day"})
        except forms.ValidationError as e:
            self._update_errors(e)


class PublicCourseForm(Form):
    """Plan (or change) a public course: which course of the catalogue, its dates, days and hours, its places."""

    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none(),
                                    help_text=_("A course of the training catalogue open to the public."))  # fmt: skip
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    weekdays = forms.TypedMultipleChoiceField(label=_("Meets on"), choices=WEEKDAYS, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)  # fmt: skip
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("To"), widget=TimeInput)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=200,
                                  help_text=_("Further registrations go to the waiting list."))  # fmt: skip
    trainer_name = forms.CharField(label=_("Trainer"), max_length=150, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        # the courses open to the public are the network's public catalogue (shown on the public pages without
        # signing in): every web café may run them, whichever organisation wrote them
        courses = Course.objects.filter(open_to_public=True, is_active=True).select_related("organisation")
        self.fields["course"].queryset = courses.order_by("title")
        if instance is not None and instance.pk:
            session = instance.session
            self.fields["course"].queryset = Course.objects.filter(pk=session.course_id)
            self.fields["course"].disabled = True
            self.initial.update(
                course=session.course_id, topic=instance.topic, level=instance.level, language=instance.language,
                start_date=session.start_date, end_date=session.end_date, weekdays=sorted(session.weekday_numbers),
                starts_at=instance.starts_at, ends_at=instance.ends_at, capacity=session.capacity,
                trainer_name=session.trainer_name,
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("A course cannot end before it starts."))
        return data


class RegistrationForm(Form):
    """Register a member of the public at the counter or by phone."""

    name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    channel = forms.ChoiceField(label=_("Registered"), choices=[])
    consent = forms.BooleanField(
        label=_("The person agrees that we keep these details for the course."),
        error_messages={"required": _("Registration needs the person's agreement to keep their details.")},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        from moulin.webcafe.enums import Channel

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c, label) for c, label in Channel.choices if c != Channel.PUBLIC_PAGE]

    def clean_phone(self):
        from moulin.core.validators import validate_phone

        value = self.cleaned_data["phone"]
        if value:
            validate_phone(value)
        return value


class PublicRegistrationForm(Form):
    """The public page's registration: name, phone, consent; the honeypot and timing token of the public forms
    (``moulin.care.public``) against spam."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    email = forms.EmailField(label=_("Email"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that the web café keeps these details to organise the course and call me about it."),
        error_messages={"required": _("We need your agreement to keep your details for the course.")},
    )  # fmt: skip
    #: the honeypot: hidden from people, filled by robots
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_phone(self):
        from moulin.core.validators import validate_phone

        value = self.cleaned_data["phone"]
        validate_phone(value)
        return value


class VenueFilterForm(FilterForm):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    lookups = {"commune": "premises__commune"}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            venues = Venue.objects.visible_to(request.user)
            self.fields["commune"].queryset = Commune.objects.filter(premises__web_cafe__in=venues).distinct()


class VisitFilterForm(FilterForm):
    venue = forms.ModelChoiceField(label=_("Web café"), queryset=Venue.objects.none())
    date_from = forms.DateField(label=_("From"), widget=DateInput)
    date_to = forms.DateField(label=_("Until"), widget=DateInput)
    lookups = {"venue": "venue", "date_from": "day__gte", "date_to": "day__lte"}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.fields["venue"].queryset = Venue.objects.visible_to(request.user)


class CourseFilterForm(FilterForm):
    venue = forms.ModelChoiceField(label=_("Web café"), queryset=Venue.objects.none())
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    date_from = forms.DateField(label=_("Starting from"), widget=DateInput)
    lookups = {"venue": "venue", "topic": "topic", "language": "language", "date_from": "session__start_date__gte"}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.fields["venue"].queryset = Venue.objects.visible_to(request.user)


class FiguresForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
