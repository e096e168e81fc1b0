from django import forms
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.care.enums import BeneficiaryKind, Channel, RequestStatus, ServiceLine
from moulin.care.models import (
    Beneficiary,
    CareSettings,
    Intervention,
    Request,
    ServiceType,
    SocialTariff,
    WorkKind,
)
from moulin.core.forms import DateInput, FilterForm, Form, ModelForm
from moulin.participants.models import Participant
from moulin.projects.models import Team
from moulin.territory.models import Commune


def organisation_field(form, model):
    """The organisations the user may add under; fixed once the record exists."""
    field = form.fields["organisation"]
    field.queryset = policy_for(model).organisations_for_add(form.request.user.scope)
    if form.instance.pk:
        field.disabled = True
    elif field.queryset.count() == 1:
        form.initial.setdefault("organisation", field.queryset.first())


class ServiceTypeForm(ModelForm):
    class Meta:
        model = ServiceType
        fields = [
            "organisation", "service_line", "name", "unit", "project", "description", "how_to_ask", "max_hours",
            "max_material_value", "referral_text", "communes", "is_active",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}), "referral_text": forms.Textarea(attrs={"rows": 2}),
            "communes": forms.SelectMultiple(attrs={"size": 8}),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation_field(self, ServiceType)
        self.fields["project"].queryset = self.fields["project"].queryset.visible_to(self.request.user)


class WorkKindForm(ModelForm):
    class Meta:
        model = WorkKind
        fields = ["name", "excluded", "keywords", "referral_text"]
        widgets = {"referral_text": forms.Textarea(attrs={"rows": 2})}


class SocialTariffForm(ModelForm):
    class Meta:
        model = SocialTariff
        fields = ["organisation", "household_size", "income_from", "income_to", "hourly_price", "valid_from",
                  "valid_until"]  # fmt: skip
        widgets = {"valid_from": DateInput, "valid_until": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation_field(self, SocialTariff)


class BeneficiaryForm(ModelForm):
    class Meta:
        model = Beneficiary
        fields = [
            "organisation", "first_name", "last_name", "kind", "address", "postcode", "commune", "phone", "email",
            "household_size", "monthly_income", "income_proof", "income_review_on", "contact_name",
            "contact_phone", "consent", "consent_on",
        ]  # fmt: skip
        widgets = {"income_review_on": DateInput, "consent_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation_field(self, Beneficiary)


class RequestForm(ModelForm):
    """Take a request by phone or at the counter; the craft rules are applied when it is saved."""

    class Meta:
        model = Request
        fields = ["service_type", "work_kind", "channel", "received_on", "description", "estimated_hours",
                  "estimated_material_value"]  # fmt: skip
        widgets = {"received_on": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        beneficiary = self.instance.beneficiary
        self.fields["service_type"].queryset = ServiceType.objects.filter(organisation=beneficiary.organisation,
                                                                          is_active=True)  # fmt: skip
        self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.PUBLIC_FORM]


class CareSettingsForm(ModelForm):
    class Meta:
        model = CareSettings
        fields = ["retention_years"]


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InterventionForm(ModelForm):
    class Meta:
        model = Intervention
        fields = ["team", "date", "planned_hours"]
        widgets = {"date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.instance.request
        self.fields["team"].queryset = Team.objects.filter(project__organisation=request.organisation,
                                                           is_active=True)  # fmt: skip


class CompletionForm(Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput)
    hours = forms.DecimalField(label=_("Hours worked"), max_digits=5, decimal_places=1, min_value=0.5)
    materials = forms.CharField(label=_("Materials used"), max_length=300, required=False)
    material_value = forms.DecimalField(label=_("Material value (EUR)"), max_digits=8, decimal_places=2,
                                        min_value=0, required=False)  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo"), required=False, help_text=_("JPEG, PNG or WebP, at most 5 MB."))
    worker = forms.ModelChoiceField(
        label=_("Who did the job"), queryset=Participant.objects.none(), required=False,
        help_text=_("Needed when no hours were recorded on the intervention yet: the hours are recorded as this "
                    "worker's time entry."),
    )  # fmt: skip

    def __init__(self, *args, intervention=None, **kwargs):
        super().__init__(*args, **kwargs)
        workers = Participant.objects.none()
        if intervention is not None and self.request is not None:
            workers = (
                Participant.objects.visible_to(self.request.user)
                .filter(contracts__team_id=intervention.team_id)
                .distinct()
            )
        self.fields["worker"].queryset = workers.order_by("last_name", "first_name")


class PhoneSurveyForm(Form):
    satisfaction = forms.TypedChoiceField(label=_("Satisfaction"), coerce=int,
                                          choices=[(n, str(n)) for n in range(5, 0, -1)])  # fmt: skip
    on_time = forms.NullBooleanField(label=_("The team came on the day agreed"), required=False)
    would_recommend = forms.NullBooleanField(label=_("Would recommend the service"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublicSurveyForm(PhoneSurveyForm):
    satisfaction = forms.TypedChoiceField(label=_("How satisfied are you with the service?"), coerce=int,
                                          widget=forms.RadioSelect,
                                          choices=[(n, str(n)) for n in range(5, 0, -1)])  # fmt: skip


class RequestFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)
    channel = forms.ChoiceField(label=_("Taken"), choices=Channel.choices)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all())
    lookups = {"status": "status", "channel": "channel", "commune": "commune"}


class BeneficiaryFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=BeneficiaryKind.choices)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all())
    lookups = {"kind": "kind", "commune": "commune"}


class ServiceFilterForm(FilterForm):
    service_line = forms.ChoiceField(label=_("Service line"), choices=ServiceLine.choices)
    lookups = {"service_line": "service_line"}


class PublicRequestForm(Form):
    """The public request form of a commune: who asks, for what; a honeypot and a timing token against spam."""

    service_type = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.none())
    description = forms.CharField(label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 4}),
                                  max_length=2000)  # fmt: skip
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    email = forms.EmailField(label=_("Email"), required=False)
    household_size = forms.IntegerField(label=_("People in the household"), min_value=1, max_value=20, initial=1)
    consent = forms.BooleanField(
        label=_("I agree that the service keeps these details to answer my request."),
        error_messages={"required": _("We need your agreement to keep your details and answer you.")},
    )  # fmt: skip
    #: the honeypot: hidden from people, filled by robots
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.offered_in(commune).select_related("organisation")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_phone(self):
        from moulin.core.validators import validate_phone

        value = self.cleaned_data["phone"]
        validate_phone(value)
        return value
