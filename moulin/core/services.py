"""Writes shared by every model family: save, delete and audit, each in one transaction."""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from moulin.core.audit import current_log, subjects_for
from moulin.core.models import AuditEvent, AuditSubject


def audit(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    detail: dict | None = None,
    subjects=None,
) -> AuditEvent:
    """Record who did or read what. ``subjects`` are the rows whose people the event concerns (by default
    ``obj``): for rows of a personal policy, each person is kept with the event, so that the audit log answers
    "who read, exported or changed this person's data?"."""
    if subjects and all(isinstance(s, dict) for s in subjects):
        people = list(subjects)
    else:
        people = subjects_for([obj] if subjects is None else subjects)
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or str(getattr(obj, "pk", "") or ""),
        object_repr=str(obj)[:255] if obj is not None else "",
        detail=detail or {},
        subject_count=len(people),
    )
    if people:
        AuditSubject.objects.bulk_create([AuditSubject(event=event, **values) for values in people])
    log = current_log()
    if log is not None:
        log.note(event, people)
    return event


@transaction.atomic
def save_form(form, *, actor):
    """Save a validated model form (with its many-to-many data) and record who did it."""
    creating = form.instance.pk is None
    obj = form.save()
    changed = [] if creating else list(form.changed_data)
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        obj=obj,
        detail={"fields": changed} if changed else None,
    )
    return obj


class DeletionRefused(Exception):
    def __init__(self, blockers):
        self.blockers = blockers
        super().__init__(", ".join(blockers))


@transaction.atomic
def delete_object(obj, *, actor) -> None:
    """Delete ``obj``; refuse with the names of what still holds it rather than cascade silently."""
    label = str(obj)
    people = subjects_for([obj])  # taken before the row (and its key) is gone
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        blockers = sorted({f"{o._meta.verbose_name}: {o}" for o in list(exc.args[1])[:10]})
        raise DeletionRefused(blockers) from exc
    audit(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        object_type=obj._meta.label_lower,
        detail={"object": label},
        subjects=people,
    )
