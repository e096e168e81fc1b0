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


def _person_fields(model):
    """The foreign keys of ``model`` that lead to a person record, then those that lead to a declared link."""
    from moulin.core.persons import person_links, person_models

    people, links = person_models(), person_links()
    direct, linked = [], []
    for field in model._meta.fields:
        if field.many_to_one or field.one_to_one:
            label = field.related_model._meta.label_lower
            if label in people:
                direct.append(field)
            elif label in links:
                linked.append(field)
    return direct, linked


def _related(objects, field):
    """``getattr(obj, field.name)`` for each of ``objects``, the rows not yet loaded read in one query."""
    missing = {getattr(obj, field.attname) for obj in objects if not field.is_cached(obj)} - {None}
    loaded = field.related_model._base_manager.in_bulk(missing) if missing else {}
    out = []
    for obj in objects:
        if field.is_cached(obj):
            out.append(getattr(obj, field.name))
        else:
            out.append(loaded.get(getattr(obj, field.attname)))
    return out


def people_of(objects, _depth: int = 0) -> list:
    """The person each personal row is about (``None`` where it names nobody): a person record itself
    (``moulin.core.persons``: a participant, a beneficiary), the person a row hangs under (directly, or through a
    row of a declared link such as an enrolment or a request), otherwise the row itself (a board member, a
    contact, a user). Rows are resolved together, one query per foreign key followed, whatever their number."""
    from moulin.core.persons import person_models

    objects = list(objects)
    found: list = [None] * len(objects)
    by_model: dict = {}
    for i, obj in enumerate(objects):
        by_model.setdefault(type(obj), []).append(i)
    people = person_models()
    for model, indexes in by_model.items():
        if model._meta.label_lower in people:
            for i in indexes:
                found[i] = objects[i]
            continue
        direct, linked = _person_fields(model)
        todo = list(indexes)
        for field in direct:
            if not todo:
                break
            for i, person in zip(todo, _related([objects[i] for i in todo], field), strict=True):
                found[i] = person
            todo = [i for i in todo if found[i] is None]
        if _depth < 2:
            for field in linked:
                if not todo:
                    break
                parents = _related([objects[i] for i in todo], field)
                with_parent = [(i, parent) for i, parent in zip(todo, parents, strict=True) if parent is not None]
                resolved = people_of([parent for _i, parent in with_parent], _depth + 1)
                for (i, _parent), person in zip(with_parent, resolved, strict=True):
                    found[i] = person
                todo = [i for i in todo if found[i] is None]
        if _depth == 0:
            for i in todo:
                found[i] = objects[i]
    return found


def person_of(obj):
    """The person one personal row is about (see ``people_of``)."""
    return people_of([obj])[0]


def subjects_for(objects) -> list[dict]:
    """The distinct people behind ``objects`` (rows of personal policies only), as ``AuditSubject`` values."""
    personal = [obj for obj in objects if obj is not None and is_personal(obj)]
    seen, out = set(), []
    for person in people_of(personal):
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
