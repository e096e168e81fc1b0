"""Employment contracts: conclude, edit, renew, end early."""

from django.utils.translation import gettext, gettext_lazy as _

from moulin.core.views import ScopedActionView
from moulin.participants import forms, services
from moulin.participants.models import EmploymentContract
from moulin.participants.views.base import ChildCreate, ChildUpdate


class ContractFormMixin:
    model = EmploymentContract
    form_class = forms.ContractForm

    def save(self, form):
        return services.save_contract(actor=self.request.user, contract=form.instance, changed=form.changed_data)


class ContractCreate(ContractFormMixin, ChildCreate):
    def new_instance(self, parent):
        instance = super().new_instance(parent)
        instance.organisation = parent.organisation
        return instance


class ContractUpdate(ContractFormMixin, ChildUpdate):
    pass


class ContractRenew(ScopedActionView):
    model = EmploymentContract
    form_class = forms.RenewForm
    title = _("Renew the contract")

    def perform(self, form):
        data = form.cleaned_data
        self.object = services.renew_contract(
            actor=self.request.user,
            contract=self.object,
            new_end=data["planned_end"],
            weekly_hours=data["weekly_hours"],
            exceeds_maximum=data["exceeds_maximum"],
            exception_reason=data["exception_reason"],
        )
        return gettext("Saved: %(thing)s.") % {"thing": self.object}


class ContractEnd(ContractRenew):
    form_class = forms.EndContractForm
    title = _("End the contract early")

    def perform(self, form):
        data = form.cleaned_data
        self.object = services.end_contract_early(
            actor=self.request.user, contract=self.object, ended_on=data["ended_on"], reason=data["end_reason"]
        )
        return gettext("Saved: %(thing)s.") % {"thing": self.object}
