"""The state-machine kernel (moulin/core/workflow.py): a declared move is made with its audit row, a move
not declared is refused with a message a user understands, a guard or a missing field refuses it with nothing
saved, and the buttons offered follow what the user may do."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from moulin.core.models import AuditEvent
from moulin.core.workflow import Transition, Workflow, available_transitions, transition
from moulin.organisations.models import Domain
from moulin.projects.enums import NeedStatus as S
from moulin.projects.models import Need
from moulin.territory.models import Commune


@pytest.fixture
def need():
    return Need.objects.create(
        commune=Commune.objects.get(name="Esch-sur-Alzette"), title="Workflow need", raised_by="resident",
        raised_on=timezone.localdate(), domain=Domain.objects.order_by("pk").first(), description="x",
    )  # fmt: skip


def audit_rows(obj):
    return AuditEvent.objects.filter(object_type="projects.need", object_id=str(obj.pk))


def test_an_allowed_move_changes_the_status_stamps_the_day_and_leaves_an_audit_row(need, demo_user):
    actor = demo_user("staff")
    transition(need, "assess", actor=actor)
    need.refresh_from_db()
    assert need.status == S.ASSESSED and need.status_changed_on == timezone.localdate()
    row = audit_rows(need).get()
    assert row.actor == actor and row.action == AuditEvent.Action.UPDATE
    assert row.detail == {"transition": "assess", "from": "identified", "to": "assessed"}


def test_a_move_not_declared_from_the_status_is_refused_with_the_status_named(need, demo_user):
    with pytest.raises(ValidationError) as refused:
        transition(need, "reopen", actor=demo_user("staff"))
    assert refused.value.message_dict == {"transition": ["A need that is “Identified” cannot be moved this way."]}
    need.refresh_from_db()
    assert need.status == S.IDENTIFIED and not audit_rows(need).exists()
    with pytest.raises(ValidationError):
        transition(need, "no-such-move", actor=None)


def test_a_required_field_left_blank_refuses_the_move_next_to_that_field(need):
    with pytest.raises(ValidationError) as refused:
        transition(need, "decline", actor=None, decline_reason="   ")
    assert refused.value.message_dict == {"decline_reason": ["A need is declined with a reason: say why."]}
    need.refresh_from_db()
    assert need.status == S.IDENTIFIED
    transition(need, "decline", actor=None, decline_reason="  The commune does it.  ")
    need.refresh_from_db()
    assert need.status == S.DECLINED and need.decline_reason == "The commune does it."
    transition(need, "reopen", actor=None)  # its ``sets`` clear the reason
    need.refresh_from_db()
    assert need.status == S.IDENTIFIED and need.decline_reason == ""


def test_a_field_the_move_does_not_take_is_a_programming_error(need):
    with pytest.raises(TypeError, match="takes no field"):
        transition(need, "assess", actor=None, decline_reason="why not")


def test_the_target_state_names_the_move_when_only_one_leads_there(need):
    transition(need, S.ASSESSED, actor=None)
    need.refresh_from_db()
    assert need.status == S.ASSESSED


def test_a_guard_refuses_the_move_and_nothing_is_saved(need):
    def only_high_priority(obj, fields):
        if obj.priority < 3:
            raise ValidationError({"priority": "Only a high-priority need is fast-tracked."})

    workflow = Workflow(
        Transition("fast_track", "Fast-track", {S.IDENTIFIED}, S.ASSESSED, guard=only_high_priority),
        stamp="status_changed_on",
    )
    need.priority = 2
    need.save()
    with pytest.raises(ValidationError) as refused:
        workflow.transition(need, "fast_track", actor=None)
    assert refused.value.message_dict == {"priority": ["Only a high-priority need is fast-tracked."]}
    need.refresh_from_db()
    assert need.status == S.IDENTIFIED and need.status_changed_on is None and not audit_rows(need).exists()
    need.priority = 3
    need.save()
    workflow.transition(need, "fast_track", actor=None, on=datetime.date(2026, 1, 5))
    need.refresh_from_db()
    assert need.status == S.ASSESSED and need.status_changed_on == datetime.date(2026, 1, 5)


def test_the_status_is_read_again_under_the_lock_before_moving(need):
    """Someone else declined the need since this page was loaded: assessing it is refused."""
    stale = Need.objects.get(pk=need.pk)
    transition(need, "decline", actor=None, decline_reason="Done by the commune.")
    with pytest.raises(ValidationError, match="Declined"):
        transition(stale, "assess", actor=None)
    need.refresh_from_db()
    assert need.status == S.DECLINED


def test_the_buttons_offered_follow_the_status_and_what_the_user_may_change(need, demo_user):
    # the commune officer of Esch records and moves its needs; the ministry officer only reads them
    assert [t.name for t in available_transitions(demo_user("commune"), need)] == ["assess", "decline"]
    assert available_transitions(demo_user("ministry"), need) == []
    transition(need, "decline", actor=None, decline_reason="Not for us.")
    assert [t.name for t in available_transitions(demo_user("commune"), need)] == ["reopen"]
    # system moves (a project answering the need) are never offered as buttons
    assert "address" not in [t.name for t in Need.workflow.allowed(need)]


def test_a_move_may_be_kept_for_some_users(need, demo_user):
    workflow = Workflow(
        Transition("assess", "Assess", {S.IDENTIFIED}, S.ASSESSED, may=lambda scope, obj: scope.is_admin),
        Transition("decline", "Decline", {S.IDENTIFIED}, S.DECLINED, required={"decline_reason": "Why?"}),
    )
    assert [t.name for t in workflow.available_to(demo_user("admin"), need)] == ["assess", "decline"]
    assert [t.name for t in workflow.available_to(demo_user("commune"), need)] == ["decline"]


def test_transition_names_are_unique_in_a_workflow():
    with pytest.raises(ValueError, match="repeat"):
        Workflow(Transition("a", "A", {S.IDENTIFIED}, S.ASSESSED), Transition("a", "A", {S.ASSESSED}, S.DECLINED))
