"""Writes shared by every model family: save, delete and audit, each in one transaction."""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from moulin.core.models import AuditEvent


def audit(*, actor, action: str, obj=None, object_type: str = "", detail: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(getattr(obj, "pk", "") or ""),
        object_repr=str(obj)[:255] if obj is not None else "",
        detail=detail or {},
    )


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
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        blockers = sorted({f"{o._meta.verbose_name}: {o}" for o in list(exc.args[1])[:10]})
        raise DeletionRefused(blockers) from exc
    audit(actor=actor, action=AuditEvent.Action.DELETE, object_type=obj._meta.label_lower, detail={"object": label})
