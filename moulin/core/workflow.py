"""Declared state machines: a model names its states and the moves allowed between them; one service makes
every move, refuses the others with a message a user understands, and writes the audit event.

A model declares its workflow next to its status field::

    class Need(TimeStampedModel):
        status = models.CharField(choices=NeedStatus.choices, ...)
        workflow = Workflow(
            Transition("assess", _("Mark as assessed"), {S.IDENTIFIED}, S.ASSESSED),
            Transition("decline", _("Decline"), {S.IDENTIFIED, S.ASSESSED}, S.DECLINED,
                       required={"decline_reason": _("A need is declined with a reason: say why.")}),
            Transition("reopen", _("Reopen"), {S.DECLINED}, S.IDENTIFIED, sets={"decline_reason": ""}),
            stamp="status_changed_on",
        )

and services move it with ``transition(need, "decline", actor=user, decline_reason="…")``; pages offer the
buttons of ``available_transitions(user, need)``. Imports no domain app.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: shown when a move is not allowed from the record's status (``%(status)s`` is the status shown to users)
REFUSED = _("A record that is “%(status)s” cannot be moved this way.")


@dataclass(frozen=True)
class Transition:
    """One allowed move: from any of ``sources`` to ``target``.

    - ``manual``: offered to users (a button, a choice); otherwise made by the system only (a project that
      answers a need marks it addressed);
    - ``required``: fields that must be given (not blank) for this move, each with the message shown next to
      it when missing ("declined needs a reason");
    - ``optional``: other fields the move may set;
    - ``sets``: fields set to fixed values by the move (clearing a reason when reopening);
    - ``guard``: ``guard(obj, fields)`` raises ``ValidationError`` when a rule beyond the status forbids the
      move (the session is not over yet…);
    - ``may``: ``may(scope, obj)``, who may make the move beyond being allowed to change the record;
    - ``refusals``: a message per source status that is *not* allowed, clearer than the workflow's default.
    """

    name: str
    label: object
    sources: frozenset
    target: str
    manual: bool = True
    required: Mapping[str, object] = field(default_factory=dict)
    optional: tuple[str, ...] = ()
    sets: Mapping[str, object] = field(default_factory=dict)
    guard: Callable | None = None
    may: Callable | None = None
    refusals: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))

    def allowed_from(self, state) -> bool:
        return state in self.sources

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.required) | frozenset(self.optional)


class Workflow:
    """The states of one field of a model and the transitions between them.

    ``stamp`` names a date field set to the day of each move; ``refused`` is the default message for a move
    not allowed from the current status; ``error`` is the ``ValidationError`` subclass raised (an app's own,
    say); ``error_field`` is the form field a refusal is shown next to (None: above the form).
    """

    def __init__(self, *transitions: Transition, field: str = "status", stamp: str | None = None,
                 refused=REFUSED, error: type[ValidationError] = ValidationError,
                 error_field: str | None = None, validate: bool = True):  # fmt: skip
        names = [t.name for t in transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"Transition names repeat: {names}")
        self.transitions: dict[str, Transition] = {t.name: t for t in transitions}
        self.field = field
        self.stamp = stamp
        self.refused = refused
        self.error = error
        self.error_field = error_field
        self.validate = validate
        self.model = None

    def contribute_to_class(self, cls, name):
        """Declared as a model attribute: remember the model, reach the workflow as ``Model.<name>``."""
        self.model = cls
        self.attname = name
        setattr(cls, name, self)

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __iter__(self):
        return iter(self.transitions.values())

    # ---------------------------------------------------------------- questions

    def state_of(self, obj):
        return getattr(obj, self.field)

    def allowed(self, obj, *, manual_only: bool = True) -> list[Transition]:
        """The moves allowed from the record's status (by default only those offered to users)."""
        state = self.state_of(obj)
        return [t for t in self if t.allowed_from(state) and (t.manual or not manual_only)]

    def available_to(self, user, obj) -> list[Transition]:
        """The moves ``user`` may make on ``obj`` now: for the buttons of its page. Empty when the user may
        not change the record."""
        from moulin.access.policy import CHANGE
        from moulin.access.querysets import policy_for
        from moulin.access.scope import scope_for

        scope = scope_for(user)
        if not policy_for(obj).can(scope, CHANGE, obj):
            return []
        return [t for t in self.allowed(obj) if t.may is None or t.may(scope, obj)]

    def resolve(self, obj, to: str) -> Transition:
        """The transition named ``to`` (or leading to the state ``to``) allowed from the record's status;
        refuses with a clear message otherwise."""
        state = self.state_of(obj)
        transition = self.transitions.get(to)
        if transition is None:
            leading = [t for t in self if t.target == to and t.allowed_from(state)]
            transition = leading[0] if len(leading) == 1 else None
        if transition is None or not transition.allowed_from(state):
            message = (transition.refusals.get(state) if transition else None) or self.refused
            raise self._error(message % {"status": self._display(obj)})
        return transition

    def check(self, obj, to: str, **fields) -> tuple[Transition, dict]:
        """Refuse (``ValidationError``) unless the move is allowed with these fields; return the transition
        and the cleaned fields. Does not write."""
        transition = self.resolve(obj, to)
        unknown = set(fields) - transition.fields
        if unknown:
            raise TypeError(f"The transition {transition.name!r} takes no field {sorted(unknown)}")
        cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
        missing = {
            name: message for name, message in transition.required.items() if cleaned.get(name) in (None, "", [])
        }
        if missing:
            raise self.error(missing)
        if transition.guard is not None:
            transition.guard(obj, cleaned)
        return transition, cleaned

    # ---------------------------------------------------------------- the move

    def transition(self, obj, to: str, *, actor, on: datetime.date | None = None, **fields):
        """Move ``obj`` along the transition ``to`` (its name, or the target state), in one transaction with
        its audit event. The row is locked and its status re-read first, so two users moving the same record
        at once do not both succeed from a status it no longer has."""
        from moulin.core.models import AuditEvent
        from moulin.core.services import audit

        with transaction.atomic():
            current = (
                type(obj)._default_manager.select_for_update(of=("self",))
                .filter(pk=obj.pk).values_list(self.field, flat=True).first()
            )  # fmt: skip
            if current is not None:
                setattr(obj, self.field, current)
            transition, cleaned = self.check(obj, to, **fields)
            previous = self.state_of(obj)
            setattr(obj, self.field, transition.target)
            changed = {self.field}
            for name in transition.fields:
                setattr(obj, name, cleaned.get(name, "" if name in transition.required else getattr(obj, name)))
                changed.add(name)
            for name, value in transition.sets.items():
                setattr(obj, name, value)
                changed.add(name)
            if self.stamp:
                setattr(obj, self.stamp, on or timezone.localdate())
                changed.add(self.stamp)
            if self.validate:
                obj.full_clean()
            if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
                changed.add("updated_at")
            obj.save(update_fields=sorted(changed))
            detail = {"transition": transition.name, "from": str(previous), "to": str(transition.target)}
            audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=obj, detail=detail)
        return obj

    # ---------------------------------------------------------------- helpers

    def _display(self, obj) -> str:
        display = getattr(obj, f"get_{self.field}_display", None)
        return str(display()) if display else str(self.state_of(obj))

    def _error(self, message) -> ValidationError:
        return self.error({self.error_field: message} if self.error_field else message)


def workflow_of(obj_or_model, name: str = "workflow") -> Workflow:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    workflow = getattr(model, name, None)
    if not isinstance(workflow, Workflow):
        raise TypeError(f"{model.__name__} declares no workflow named {name!r}")
    return workflow


def transition(obj, to: str, *, actor, on: datetime.date | None = None, **fields):
    """Move ``obj`` along its model's declared workflow (see ``Workflow.transition``)."""
    return workflow_of(obj).transition(obj, to, actor=actor, on=on, **fields)


def available_transitions(user, obj) -> list[Transition]:
    """The moves ``user`` may make on ``obj`` now (see ``Workflow.available_to``)."""
    return workflow_of(obj).available_to(user, obj)


def transitions_from(states: Iterable, workflow: Workflow) -> dict:
    """For documentation and tests: each state and the names of the moves allowed from it."""
    return {state: [t.name for t in workflow if t.allowed_from(state)] for state in states}
