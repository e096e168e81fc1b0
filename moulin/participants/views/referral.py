"""Referring a person: a new record, or a new referral on a record already known."""

from django.utils.translation import gettext_lazy as _

from moulin.core.views import ScopedFormView
from moulin.participants import forms, services
from moulin.participants.models import Participant


class ReferralCreate(ScopedFormView):
    """Refer a person: a new record, or — when they are already known — a new referral on their record."""

    model = Participant
    form_class = forms.ReferralForm
    creating = True
    template_name = "participants/refer_form.html"
    title = _("Refer a person")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        referral = services.refer(
            actor=self.request.user,
            person=form.person(),
            organisation=data["organisation"],
            date=data["date"],
            source=data["source"],
            referrer=data["referrer"],
            attach_to=form.attach_to,
        )
        return referral.participant

    def render_form(self, form, status=200):
        response = super().render_form(form, status)
        response.context_data["duplicates"] = getattr(form, "duplicates", [])
        return response
