from django import forms
from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from moulin.core.forms import FilterForm, KeepUploadsMixin, ModelForm, current_value, follows
from moulin.core.validators import validate_document
from moulin.organisations.enums import Level, OrganisationKind
from moulin.organisations.models import (
    Agreement,
    BoardMandate,
    BoardMeeting,
    Domain,
    Organisation,
    Premises,
    VolunteerHours,
)


class OrganisationForm(ModelForm):
    date_limits = {"founded_on": (None, 0)}

    class Meta:
        model = Organisation
        fields = [
            "name", "short_name", "slug", "kind", "level", "legal_form", "legal_number", "vat_number", "iban", "bic",
            "address", "postcode", "locality", "seat_commune", "email", "phone", "website", "domains", "founded_on",
            "is_active",
        ]  # fmt: skip
        widgets = {"domains": forms.CheckboxSelectMultiple, "founded_on": forms.DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = self.request.user.scope if self.request else None
        if scope is not None and not scope.network_wide:
            # a manager edits their organisation's details, not its place in the network
            for name in ("kind", "level", "slug", "is_active"):
                self.fields[name].disabled = True


class PremisesForm(ModelForm):
    class Meta:
        model = Premises
        fields = ["name", "kind", "address", "postcode", "locality", "commune", "phone", "opening_hours", "is_seat"]


class MandateForm(ModelForm):
    class Meta:
        model = BoardMandate
        fields = ["person_name", "email", "role", "represents", "represents_detail", "start", "end", "user"]
        widgets = {"start": forms.DateInput, "end": forms.DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()  # noqa: N806

        self.fields["user"].queryset = (
            User.objects.visible_to(self.request.user) if self.request else User.objects.none()
        )
        self.fields["user"].help_text = _("Link the mandate to a login so the board member sees the governance pages.")


class MeetingForm(KeepUploadsMixin, ModelForm):
    keep_uploads = ("minutes",)

    class Meta:
        model = BoardMeeting
        fields = ["date", "place", "attendees", "agenda", "decisions", "minutes"]
        widgets = {
            "date": forms.DateInput,
            "attendees": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].help_text = _("PDF, Word or OpenDocument file, 10 MB at most.")
        if not self.instance.pk and self.initial.get("date") is None:
            self.initial["date"] = timezone.localdate()
        # Validation reads every mandate of the board (a former member gets a clear refusal); the boxes offered
        # are the mandates current on the meeting's date, and follow the date as it changes (htmx).
        board = BoardMandate.objects.filter(organisation=self.instance.organisation)
        attendees = self.fields["attendees"]
        attendees.queryset = board
        on = self._meeting_date()
        current = list(board.current(on or timezone.localdate()))
        attendees.widget.choices = [(m.pk, str(m)) for m in current]
        if on:
            attendees.help_text = _("Members of the board on %(date)s.") % {
                "date": formats.date_format(on, "SHORT_DATE_FORMAT")
            }
        follows(self, "attendees", "date")

    def _meeting_date(self):
        value = current_value(self, "date")
        try:
            return self.fields["date"].to_python(value)
        except forms.ValidationError:
            return None

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if minutes and hasattr(minutes, "size"):
            if minutes.size > 10 * 1024 * 1024:
                raise forms.ValidationError(_("The minutes file is larger than 10 MB."))
            validate_document(minutes)  # by content, not only by name
        return minutes

    def clean(self):
        data = super().clean()
        date = data.get("date")
        for mandate in data.get("attendees") or []:
            if date and not mandate.is_current(date):
                self.add_error(
                    "attendees",
                    _("%(name)s did not hold a mandate on %(date)s.")
                    % {"name": mandate.person_name, "date": formats.date_format(date, "SHORT_DATE_FORMAT")},
                )
        return data


class VolunteerHoursForm(ModelForm):
    #: hours are recorded once given
    date_limits = {"date": (-3650, 0)}
    future_messages = {"date": _("Volunteer hours are recorded once given, not in advance.")}

    class Meta:
        model = VolunteerHours
        fields = ["volunteer_name", "mandate", "date", "hours", "activity"]
        widgets = {"date": forms.DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = BoardMandate.objects.filter(organisation=self.instance.organisation)
        if not self.instance.pk:
            self.initial["date"] = timezone.localdate()


# Communes and cantons are reached through the organisation's seat (the territory app sits above this one).
Commune = Organisation._meta.get_field("seat_commune").related_model
Canton = Commune._meta.get_field("canton").related_model


class OrganisationFilterForm(FilterForm):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.all())
    canton = forms.ModelChoiceField(label=_("Canton of the seat"), queryset=Canton.objects.all())
    commune = forms.ModelChoiceField(label=_("Works in commune"), queryset=Commune.objects.all())
    lookups = {"level": "level", "kind": "kind", "domain": "domains", "canton": "seat_commune__canton"}

    def filter_commune(self, qs, commune):
        return qs.filter(agreements__in=Agreement.objects.current().filter(commune=commune)).distinct()


class VolunteerFilterForm(FilterForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    lookups = {"organisation": "organisation", "year": "date__year"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(self.request.user)


class OrganisationFilterMixin:
    """A filter form whose ``organisation`` choices are the organisations the user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(self.request.user)
