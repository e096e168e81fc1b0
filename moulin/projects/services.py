"""Writes of the planning capability: need status transitions and saving a project (which marks the needs
it answers as addressed). Each runs in one transaction and leaves an audit event."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.core.models import AuditEvent
from moulin.core.services import audit, delete_object, save_form
from moulin.projects.enums import NeedStatus
from moulin.projects.models import Need, Project

S = NeedStatus


@dataclass(frozen=True)
class Transition:
    name: str
    label: object
    sources: frozenset
    target: str
    needs_reason: bool = False
    manual: bool = True


#: the allowed moves of a need, by name (``addressed`` is set by saving a project that answers it)
TRANSITIONS = {
    t.name: t
    for t in [
        Transition("assess", _("Mark as assessed"), frozenset({S.IDENTIFIED}), S.ASSESSED),
        Transition("decline", _("Decline"), frozenset({S.IDENTIFIED, S.ASSESSED}), S.DECLINED, needs_reason=True),
        Transition("reopen", _("Reopen"), frozenset({S.DECLINED}), S.IDENTIFIED),
        Transition("address", _("Addressed by a project"), frozenset({S.IDENTIFIED, S.ASSESSED}), S.ADDRESSED,
                   manual=False),
        Transition("unaddress", _("No project answers it any more"), frozenset({S.ADDRESSED}), S.ASSESSED,
                   manual=False),
    ]
}  # fmt: skip


def allowed_transitions(need: Need, *, manual_only: bool = True) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if need.status in t.sources and (t.manual or not manual_only)]


@transaction.atomic
def transition_need(need: Need, name: str, *, actor, reason: str = "", on=None) -> Need:
    """Move ``need`` along the named transition; refuse moves that are not allowed from its status."""
    transition = TRANSITIONS.get(name)
    if transition is None or need.status not in transition.sources:
        raise ValidationError(
            {
                "transition": _("A need that is “%(status)s” cannot be moved this way.")
                % {"status": need.get_status_display()}
            }
        )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"decline_reason": _("A need is declined with a reason: say why.")})
    previous = need.status
    need.status = transition.target
    need.status_changed_on = on or timezone.localdate()
    need.decline_reason = reason if transition.target == S.DECLINED else ""
    need.full_clean()
    need.save(update_fields=["status", "status_changed_on", "decline_reason", "updated_at"])
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=need,
          detail={"transition": name, "from": previous, "to": need.status})  # fmt: skip
    return need


def sync_addressed(needs, *, actor) -> None:
    """Needs answered by a project are addressed; an addressed need that lost its last project goes back
    to assessed."""
    for need in needs:
        answered = need.projects.exists()
        if answered and need.status in TRANSITIONS["address"].sources:
            transition_need(need, "address", actor=actor)
        elif not answered and need.status == S.ADDRESSED:
            transition_need(need, "unaddress", actor=actor)


@transaction.atomic
def save_project(form, *, actor) -> Project:
    """Save a project form; the needs it answers (and those it no longer answers) follow."""
    before = set(form.instance.needs.values_list("pk", flat=True)) if form.instance.pk else set()
    project = save_form(form, actor=actor)
    after = set(project.needs.values_list("pk", flat=True))
    sync_addressed(Need.objects.filter(pk__in=before | after), actor=actor)
    return project


@transaction.atomic
def delete_project(project: Project, *, actor) -> None:
    """Delete a project (refused while records hold it); the needs it answered and no other project does go
    back to assessed."""
    needs = list(project.needs.values_list("pk", flat=True))
    delete_object(project, actor=actor)
    sync_addressed(Need.objects.filter(pk__in=needs), actor=actor)
