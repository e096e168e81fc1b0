"""The read audit: one mechanism that records every display of personal data.

- ``services.audit`` writes an ``AuditEvent`` and, for a row of a ``personal`` policy, the people it concerns
  (``AuditSubject``): the participant behind a coaching session, the beneficiary behind an intervention, each
  person of an export, the board member shown. Who is a person is declared per app (``moulin.core.persons``).
- ``read_log`` is opened around every scoped view (``ScopedMixin.as_view``): what the view reads through
  ``get_object``, ``get_parent`` or a list page is recorded once per request, unless the view already recorded
  it itself (``persons.view_record``); a refused attempt (404 or 403) is recorded as ``refused``.
"""

import contextlib
import contextvars

from django.utils.cache import patch_cache_control

_LOG: contextvars.ContextVar = contextvars.ContextVar("moulin_read_log", default=None)


def policy_of(obj):
    """The policy of a model instance or class, or None for a model outside the scope mechanism."""
    model = obj if isinstance(obj, type) else obj.__class__  # __class__ sees through a lazy request.user
    manager = getattr(model, "_default_manager", None)
    if manager is None:
        return None
    qs = manager.get_queryset()
    policy = getattr(qs, "policy", None)
    return policy() if policy is not None and getattr(qs, "policy_name", "") else None


def is_personal(obj) -> bool:
    policy = policy_of(obj)
    return bool(policy is not None and policy.personal)


def person_of(obj, _depth: int = 0):
    """The person a personal row is about: a person record itself (``moulin.core.persons``: a participant, a
    beneficiary), the person a row hangs under (directly, or through a row of a declared link such as an
    enrolment or a request), otherwise the row itself (a board member, a contact, a user)."""
    from moulin.core.persons import person_links, person_models

    people = person_models()
    if obj._meta.label_lower in people:
        return obj
    for field in obj._meta.fields:
        if (field.many_to_one or field.one_to_one) and field.related_model._meta.label_lower in people:
            person = getattr(obj, field.name, None)
            if person is not None:
                return person
    if _depth < 2:
        links = person_links()
        for field in obj._meta.fields:
            if (field.many_to_one or field.one_to_one) and field.related_model._meta.label_lower in links:
                parent = getattr(obj, field.name, None)
                if parent is not None:
                    return person_of(parent, _depth + 1)
    return obj


def subjects_for(objects) -> list[dict]:
    """The distinct people behind ``objects`` (rows of personal policies only), as ``AuditSubject`` values."""
    seen, out = set(), []
    for obj in objects:
        if obj is None or not is_personal(obj):
            continue
        person = person_of(obj)
        key = (person._meta.label_lower, str(person.pk))
        if key in seen or person.pk is None:
            continue
        seen.add(key)
        out.append(
            {
                "object_type": key[0],
                "object_id": key[1],
                "object_ref": str(getattr(person, "public_id", "") or ""),
                "object_repr": str(person)[:255],
            }
        )
    return out


class ReadLog:
    """What has been audited during one request (so that a view that records its own read is not doubled)."""

    def __init__(self):
        self.logged: set[tuple[str, str]] = set()
        self.events = 0

    def note(self, event, subjects) -> None:
        self.events += 1
        if event.object_id:
            self.logged.add((event.object_type, event.object_id))
        for s in subjects:
            self.logged.add((s["object_type"], s["object_id"]))

    def covers(self, obj) -> bool:
        return (obj._meta.label_lower, str(obj.pk)) in self.logged


@contextlib.contextmanager
def read_log():
    log = ReadLog()
    token = _LOG.set(log)
    try:
        yield log
    finally:
        _LOG.reset(token)


def current_log() -> ReadLog | None:
    return _LOG.get()


def no_store(response):
    """Personal data never stays in a browser's or a proxy's cache."""
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
    return response
