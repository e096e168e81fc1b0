from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.contracts.enums import BudgetCategory, ContractStatus, CounterpartyKind, SourceKind
from moulin.contracts.ledger import FIELDS
from moulin.contracts.models import (
    Budget,
    BudgetLine,
    Contract,
    Counterparty,
    FundingAgreement,
    FundingSource,
    Receipt,
)
from moulin.core.forms import DateInput, FilterForm, Form, ModelForm
from moulin.formats import LEDGER_DATE_FORMATS
from moulin.territory.models import Commune


def _organisations(form, model):
    field = form.fields.get("organisation")
    if field is not None:
        field.queryset = policy_for(model).organisations_for_add(form.request.user.scope)


def _projects(form):
    from moulin.projects.models import Project

    if "projects" in form.fields:
        form.fields["projects"].queryset = Project.objects.visible_to(form.request.user).select_related("organisation")
    if "project" in form.fields:
        form.fields["project"].queryset = Project.objects.visible_to(form.request.user).select_related("organisation")


class CounterpartyForm(ModelForm):
    class Meta:
        model = Counterparty
        fields = ["name", "kind", "commune", "address", "postcode", "locality", "country", "vat_number",
                  "peppol_scheme", "peppol_id", "email", "notes"]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContractForm(ModelForm):
    class Meta:
        model = Contract
        fields = ["title", "reference", "organisation", "counterparty", "projects", "start", "end", "billing_rule",
                  "annual_amount", "billing_schedule", "rate", "deliverables", "political_signatory",
                  "political_signed_on", "administrative_signatory", "administrative_signed_on", "notes"]  # fmt: skip
        widgets = {
            "start": DateInput, "end": DateInput, "political_signed_on": DateInput,
            "administrative_signed_on": DateInput, "deliverables": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}), "projects": forms.CheckboxSelectMultiple,
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _organisations(self, Contract)
        _projects(self)
        if self.instance.pk and self.instance.status != ContractStatus.DRAFT:
            # a contract past its draft keeps its parties: a new contract is made for others
            for name in ("organisation", "counterparty"):
                self.fields[name].disabled = True


class ContractTransitionForm(Form):
    transition = forms.ChoiceField(label=_("Move"))
    terminated_on = forms.DateField(label=_("Terminated on"), required=False, widget=DateInput)
    termination_reason = forms.CharField(label=_("Reason for terminating"), required=False, max_length=255)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in Contract.workflow.allowed(instance)]

    def transition_fields(self) -> dict:
        name = self.cleaned_data["transition"]
        return {f: self.cleaned_data.get(f) or ("" if f == "termination_reason" else None)
                for f in Contract.workflow[name].fields}  # fmt: skip


class ContractRenewForm(Form):
    start = forms.DateField(label=_("Start of the renewal"), widget=DateInput)
    end = forms.DateField(label=_("End of the renewal"), required=False, widget=DateInput)


class ContractFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + ContractStatus.choices)
    kind = forms.ChoiceField(label=_("Counterparty"), required=False,
                             choices=[("", _("All"))] + CounterpartyKind.choices)  # fmt: skip
    commune = forms.ModelChoiceField(label=_("Commune"), required=False, queryset=Commune.objects.none())
    lookups = {"status": "status", "kind": "counterparty__kind", "commune": "counterparty__commune"}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:  # the communes of the contracts the user may read
            contracts = Contract.objects.visible_to(request.user)
            self.fields["commune"].queryset = Commune.objects.filter(
                pk__in=contracts.values("counterparty__commune")
            ).order_by("name")


class FundingSourceForm(ModelForm):
    class Meta:
        model = FundingSource
        fields = ["name", "kind", "counterparty", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class FundingAgreementForm(ModelForm):
    class Meta:
        model = FundingAgreement
        fields = ["title", "reference", "source", "organisation", "projects", "start", "end", "amount_awarded",
                  "co_financing_rate", "eligible_costs", "notes"]  # fmt: skip
        widgets = {"start": DateInput, "end": DateInput, "notes": forms.Textarea(attrs={"rows": 2}),
                   "projects": forms.CheckboxSelectMultiple}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _organisations(self, FundingAgreement)
        _projects(self)


class FundingTransitionForm(Form):
    transition = forms.ChoiceField(label=_("Move"))
    cancel_reason = forms.CharField(label=_("Reason for cancelling"), required=False, max_length=255)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in FundingAgreement.workflow.allowed(instance)]

    def transition_fields(self) -> dict:
        name = self.cleaned_data["transition"]
        return {f: self.cleaned_data.get(f) or "" for f in FundingAgreement.workflow[name].fields}


class FundingFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("All"))] + SourceKind.choices)

    def filter_queryset(self, qs):
        if self.cleaned_data.get("kind"):
            qs = qs.filter(source__kind=self.cleaned_data["kind"])
        return qs


class ReceiptForm(ModelForm):
    class Meta:
        model = Receipt
        fields = ["organisation", "source", "agreement", "contract", "project", "commune", "received_on", "amount",
                  "reference"]  # fmt: skip
        widgets = {"received_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _organisations(self, Receipt)
        _projects(self)
        user = self.request.user
        self.fields["agreement"].queryset = FundingAgreement.objects.visible_to(user)
        self.fields["contract"].queryset = Contract.objects.visible_to(user).select_related("counterparty")


class ReceiptCancelForm(Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255)


class ReceiptFilterForm(FundingFilterForm):
    pass


class BudgetForm(ModelForm):
    class Meta:
        model = Budget
        fields = ["organisation", "project", "year", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _organisations(self, Budget)
        _projects(self)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year


class BudgetLineForm(ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "planned", "financed_by", "notes"]


class BudgetFilterForm(FilterForm):
    year = forms.IntegerField(label=_("Year"), required=False)

    def filter_queryset(self, qs):
        if self.cleaned_data.get("year"):
            qs = qs.filter(year=self.cleaned_data["year"])
        return qs


class LedgerUploadForm(Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    file = forms.FileField(label=_("General ledger (CSV)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = policy_for(Budget).organisations_for_add(self.request.user.scope)


class LedgerMappingForm(Form):
    delimiter = forms.ChoiceField(label=_("Column separator"), choices=[(";", ";"), (",", ","), ("\t", _("tab"))])
    decimal_comma = forms.BooleanField(label=_("Decimal comma (1.234,56)"), required=False, initial=True)
    date_format = forms.ChoiceField(label=_("Date format"), choices=LEDGER_DATE_FORMATS)

    def __init__(self, *args, headers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(h, h) for h in headers]
        for name, label, required in FIELDS:
            self.fields[f"col_{name}"] = forms.ChoiceField(label=label, choices=choices, required=required)

    def columns(self) -> dict:
        return {name: self.cleaned_data.get(f"col_{name}") or "" for name, _label, _req in FIELDS}


class CloseYearForm(Form):
    year = forms.IntegerField(label=_("Year to close"), min_value=2000, max_value=2100)


class MixForm(Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from moulin.organisations.models import Organisation
        from moulin.projects.models import Project

        super().__init__(*args, **kwargs)
        user = self.request.user
        self.fields["organisation"].queryset = (
            Organisation.objects.visible_to(user).filter(receipts__isnull=False).distinct()
        )
        self.fields["project"].queryset = Project.objects.visible_to(user).filter(receipts__isnull=False).distinct()
        self.fields["commune"].queryset = Commune.objects.filter(receipts__isnull=False).distinct().defer("boundary")


BUDGET_CATEGORIES = BudgetCategory
