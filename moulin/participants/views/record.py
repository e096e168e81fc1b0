"""A participant's own page and the edit of their details."""

from django.utils import timezone
from django.utils.translation import gettext

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.core.views import ScopedDetailView, ScopedFormView
from moulin.participants import forms, services
from moulin.participants.models import EmploymentContract, PlanAction
from moulin.participants.timeline import build_timeline
from moulin.participants.validators import add_months
from moulin.participants.views.base import POLICY, ParticipantObjectMixin, pathway_records


class ParticipantDetail(ParticipantObjectMixin, ScopedDetailView):
    template_name = "participants/participant_detail.html"

    def get_breadcrumbs(self):
        return ScopedDetailView.get_breadcrumbs(self)  # the page itself, not ParticipantObjectMixin's link

    def get_context(self, participant):
        user = self.request.user
        scope = self.scope
        full = POLICY.can_read_full(scope, participant)
        services.view_record(participant, actor=user, part="page" if full else "minimal")
        if not full:
            self.template_name = "participants/participant_minimal.html"
            contracts = EmploymentContract.objects.visible_to(user).filter(participant=participant)
            return {
                "object": participant,
                "participant": participant,
                "contracts": contracts.current().select_related("project", "team"),
            }
        records = pathway_records(participant, user)
        today = timezone.localdate()
        policy = policy_for(PlanAction)
        return {
            "object": participant,
            "participant": participant,
            "today": today,
            "soon": add_months(today, 2),
            **records,
            "timeline": build_timeline(participant, user, records=records),
            "can_write": policy.can(scope, ADD, participant),
            "can_merge": POLICY.can_merge(scope),
            "can_erase": POLICY.can_erase(scope),
            "can_export": full,
            "merged_records": participant.merged_records.all(),
        }


class ParticipantUpdate(ParticipantObjectMixin, ScopedFormView):
    form_class = forms.ParticipantForm

    def get_title(self):
        return gettext("Edit %(thing)s") % {"thing": self.object.display_name}
