"""The intake interview and the ESF+ entry data."""

from django.utils.translation import gettext_lazy as _

from moulin.participants import enums, forms, services
from moulin.participants.models import EntryData, Intake
from moulin.participants.views.base import ChildCreate, OneToOneEdit


class IntakeCreate(ChildCreate):
    model = Intake
    form_class = forms.IntakeForm

    def save(self, form):
        return services.record_intake(actor=self.request.user, intake=form.instance)

    def get_success_url(self):
        """An intake that decides to hire leads to the contracts card, which offers the contract form first."""
        if self.object.outcome == enums.IntakeOutcome.HIRE:
            return self.object.participant.get_absolute_url() + "#contracts"
        return super().get_success_url()


class EntryDataEdit(OneToOneEdit):
    model = EntryData
    form_class = forms.EntryDataForm
    title = _("ESF+ entry data")
