"""Writes of the planning capability: need status transitions and saving a project (which marks the needs
it answers as addressed). Each runs in one transaction and leaves an audit event."""

from django.db import transaction

from moulin.core.services import delete_object, save_form
from moulin.core.workflow import Transition
from moulin.projects.enums import NeedStatus
from moulin.projects.models import Need, Project

S = NeedStatus

#: the allowed moves of a need, by name, as ``Need.workflow`` declares them (``addressed`` is set by saving a
#: project that answers it)
TRANSITIONS = Need.workflow.transitions


def allowed_transitions(need: Need, *, manual_only: bool = True) -> list[Transition]:
    return Need.workflow.allowed(need, manual_only=manual_only)


def transition_need(need: Need, name: str, *, actor, reason: str = "", on=None) -> Need:
    """Move ``need`` along the named transition; refuse moves that are not allowed from its status."""
    transition = Need.workflow.resolve(need, name)
    fields = {"decline_reason": reason} if "decline_reason" in transition.fields else {}
    return Need.workflow.transition(need, name, actor=actor, on=on, **fields)


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
