import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.billing.enums import InvoiceStatus, PaymentMethod, RecipientKind
from moulin.billing.models import Batch
from moulin.core.forms import DateInput, FilterForm, Form
from moulin.organisations.models import Organisation


def recent_months(today: datetime.date, count: int = 24) -> list[tuple[str, str]]:
    months, first = [], today.replace(day=1)
    for _n in range(count):
        months.append((first.isoformat(), date_format(first, "F Y")))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months


class BatchForm(Form):
    """Prepare a month's invoices of one organisation, for a preview."""

    organisation = forms.ModelChoiceField(label=_("Issuing organisation"), queryset=Organisation.objects.none())
    month = forms.ChoiceField(label=_("Month billed"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = policy_for(Batch).organisations_for_add(self.request.user.scope)
        if field.queryset.count() == 1:
            self.initial.setdefault("organisation", field.queryset.first())
        today = timezone.localdate()
        self.fields["month"].choices = recent_months(today)
        previous = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        self.initial.setdefault("month", previous.isoformat())

    def clean_month(self):
        return datetime.date.fromisoformat(self.cleaned_data["month"])


class PaymentForm(Form):
    amount = forms.DecimalField(label=_("Amount received (EUR)"), max_digits=12, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label=_("Received on"), widget=DateInput)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)


class CreditNoteForm(Form):
    amount = forms.DecimalField(label=_("Amount credited, VAT included (EUR)"), max_digits=12, decimal_places=2,
                                min_value=0.01)  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=250,
                             help_text=_("Printed on the credit note: what is corrected and why."))  # fmt: skip


class InvoiceFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=InvoiceStatus.choices)
    kind = forms.ChoiceField(label=_("Billed to"), choices=RecipientKind.choices)
    issued_from = forms.DateField(label=_("Issued from"), widget=DateInput)
    issued_until = forms.DateField(label=_("Issued until"), widget=DateInput)
    overdue = forms.BooleanField(label=_("Overdue only"))
    lookups = {"status": "status", "kind": "kind", "issued_from": "issued_on__gte",
               "issued_until": "issued_on__lte"}  # fmt: skip

    def filter_overdue(self, qs, value):
        return qs.overdue()


class PeriodFilterForm(FilterForm):
    """The accountant's period: from and until (inclusive)."""

    date_from = forms.DateField(label=_("From"), widget=DateInput)
    date_until = forms.DateField(label=_("Until"), widget=DateInput)
    #: the date field the period applies to (set by the subclass)
    date_field = ""

    def filter_date_from(self, qs, value):
        return qs.filter(**{f"{self.date_field}__gte": value})

    def filter_date_until(self, qs, value):
        return qs.filter(**{f"{self.date_field}__lte": value})


class PaymentFilterForm(PeriodFilterForm):
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    lookups = {"method": "method"}
    date_field = "paid_on"


class CreditNoteFilterForm(PeriodFilterForm):
    date_field = "issued_on"


class BatchFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=Batch._meta.get_field("status").choices)
    lookups = {"status": "status"}
