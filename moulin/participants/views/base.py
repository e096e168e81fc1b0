"""What the pathway pages share: the policy, the record of one person, the pages of records under a person."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from moulin.access.policy import CHANGE
from moulin.access.querysets import policy_for
from moulin.core.views import ScopedFormView, ScopedObjectMixin
from moulin.participants.models import (
    CoachingSession,
    EmploymentContract,
    EntryData,
    Exit,
    FollowUp,
    Intake,
    Participant,
    PlanAction,
    PlanGoal,
    PlanObstacle,
    PlanReview,
    Referral,
    SensitiveData,
)
from moulin.participants.timeline import build_timeline, summary_sections

PEOPLE_CRUMB = (_("Participants"), reverse_lazy("participants:list"))


POLICY = policy_for(Participant)


def pathway_records(participant, user):
    """Everything on a participant's page, read through the policies, one query per family."""
    scope = user.scope
    pid = participant.pk
    notes = POLICY.can_read_notes(scope, participant)
    sessions = list(CoachingSession.objects.visible_to(user).filter(participant_id=pid).select_related("coach"))
    if not notes:
        for s in sessions:
            s.notes = ""
    sensitive = None
    if POLICY.can_read_sensitive(scope, participant):
        sensitive = SensitiveData.objects.visible_to(user).filter(participant_id=pid).first()
    return {
        "referrals": list(Referral.objects.visible_to(user).filter(participant_id=pid).select_related("organisation")),
        "intakes": list(Intake.objects.visible_to(user).filter(participant_id=pid).select_related("coach")),
        "contracts": list(
            EmploymentContract.objects.visible_to(user)
            .filter(participant_id=pid)
            .select_related("measure", "project", "team", "organisation")
        ),
        "entry_data": EntryData.objects.visible_to(user).filter(participant_id=pid).first(),
        "sensitive": sensitive,
        "obstacles": list(PlanObstacle.objects.visible_to(user).filter(participant_id=pid)),
        "goals": list(PlanGoal.objects.visible_to(user).filter(participant_id=pid)),
        "actions": list(
            PlanAction.objects.visible_to(user).filter(participant_id=pid).select_related("owner", "goal")
        ),
        "reviews": list(PlanReview.objects.visible_to(user).filter(participant_id=pid).select_related("coach")),
        "sessions": sessions,
        "exits": list(Exit.objects.visible_to(user).filter(participant_id=pid)),
        "follow_ups": list(FollowUp.objects.visible_to(user).filter(participant_id=pid)),
        "can_read_notes": notes,
        "can_read_sensitive": sensitive is not None or POLICY.can_read_sensitive(scope, participant),
    }


class ParticipantObjectMixin:
    model = Participant
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"

    def get_breadcrumbs(self):
        obj = getattr(self, "object", None)
        crumbs = [PEOPLE_CRUMB]
        if obj is not None and POLICY.can_read_full(self.scope, obj):
            crumbs.append((obj.display_name, obj.get_absolute_url()))
        return crumbs


class ChildMixin:
    parent_model = Participant
    parent_lookup = "public_id"
    parent_url_kwarg = "public_id"

    def get_cancel_url(self):
        person = self.parent if getattr(self, "parent", None) is not None else self.object.participant
        return person.get_absolute_url()

    def get_success_url(self):
        return self.get_cancel_url()


class ChildCreate(ChildMixin, ScopedFormView):
    creating = True


class ChildUpdate(ChildMixin, ScopedFormView):
    pass


class OneToOneEdit(ChildMixin, ScopedFormView):
    """Create-or-update of a one-to-one record (entry data, sensitive data) from the participant's address."""

    creating = True

    def parent_field_name(self):
        return "participant"

    def new_instance(self, parent):
        existing = self.model._default_manager.filter(participant=parent).first()
        return existing or self.model(participant=parent)

    def prepare(self):
        super().prepare()
        if self.object.pk and not self.policy().can(self.scope, CHANGE, self.object):
            raise PermissionDenied(gettext("You may read this record but not change it."))


def document_context(participant, user) -> dict:
    """Everything a document about one person shows (exit summary, access export), as ``user`` may read it."""
    records = pathway_records(participant, user)
    timeline = build_timeline(participant, user, records=records)
    return {
        "participant": participant,
        **records,
        "timeline": timeline,
        "training": [e for e in timeline if e.kind in ("training", "certificate")],
        "skills": [e for e in timeline if e.kind == "skill"],
        "sections": summary_sections(participant, user),
        "generated": timezone.localtime(),
    }


class ParticipantDocument(ParticipantObjectMixin, ScopedObjectMixin):
    """A document about one person: only for those who read the full record; its reading is audited."""

    part = ""

    def check_object(self, obj):
        if not POLICY.can_read_full(self.scope, obj):
            raise PermissionDenied(gettext("Your role does not give access to this document."))

    def context(self, participant):
        return document_context(participant, self.request.user)
