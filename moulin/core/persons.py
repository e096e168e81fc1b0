"""Person records: the one GDPR mechanism for every kind of person an app holds (participants, beneficiaries...).

An app declares each kind in its capability (``Capability.person_records``) with a ``PersonRecords``:

- ``model``: the record of the person (``"participants.participant"``, ``"care.beneficiary"``);
- ``links``: models whose rows belong to the person of their foreign key (an enrolment to its participant, a
  request to its beneficiary): the read audit (``moulin.core.audit``) records the person behind such a row;
- ``expired``: ``(today) -> queryset`` of the records whose retention period has passed (the app's own rule
  and network setting: months after the last exit, years after the last intervention...);
- ``anonymise``: ``(record, *, actor, reason) -> record``, the app's service that removes name, contact,
  identifiers and free text and keeps the statistical facts; it calls ``forget_in_audit`` at the end;
- ``export``: ``(record, user) -> dict``, everything held on the person as the user may read it (the access
  export: JSON as it is, PDF through ``labelled``), and ``export_sections``: ``{key: (title, model)}`` to
  label the PDF's sections and fields in the reader's language;
- ``retention_task`` and ``retention_title``: the nightly job that applies the retention rule
  (``moulin.ops.schedules`` schedules one per kind).

The mechanism gives the shared parts: ``anonymise_expired`` (the retention job), ``erase`` (an erasure request:
the same anonymisation at once), ``forget_in_audit`` (the audit log keeps who read the record, not the name),
``record_views`` (who read the record, for the export) and ``labelled`` (the PDF's sections).

This module is the kernel: it imports no domain app.
"""

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string

from moulin.core.capabilities import collected

ERASURE = "erasure request"
RETENTION = "retention period over"


@dataclass(frozen=True)
class PersonRecords:
    model: str
    label: object
    anonymise: str  # dotted path: (record, *, actor, reason) -> record
    expired: str  # dotted path: (today) -> queryset
    export: str  # dotted path: (record, user) -> dict
    export_sections: str = ""  # dotted path: () -> {key: (title, model or None)}
    retention_task: str = ""  # dotted path of the django.tasks Task the nightly job runs
    retention_title: object = ""
    slug: str = ""  # names the job: "anonymise-expired-<slug>"
    links: tuple[str, ...] = field(default=())

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def expired_records(self, today=None):
        return import_string(self.expired)(today or timezone.localdate())

    def anonymise_record(self, record, *, actor, reason: str):
        return import_string(self.anonymise)(record, actor=actor, reason=reason)

    def export_data(self, record, user) -> dict:
        return import_string(self.export)(record, user)

    def sections(self) -> dict:
        return import_string(self.export_sections)() if self.export_sections else {}


def kinds() -> list[PersonRecords]:
    """Every kind of person record, in ``INSTALLED_APPS`` order."""
    return collected("person_records")


@cache
def person_models() -> frozenset[str]:
    return frozenset(kind.model for kind in kinds())


@cache
def person_links() -> frozenset[str]:
    """Models whose rows belong to the person of their foreign key (followed by the read audit)."""
    found = set()
    for kind in kinds():
        found.update(kind.links)
    for extra in collected("person_links"):
        found.add(extra)
    return frozenset(found)


def kind_of(record_or_model) -> PersonRecords:
    model = record_or_model if isinstance(record_or_model, type | str) else record_or_model.__class__
    label = model if isinstance(model, str) else model._meta.label_lower
    for kind in kinds():
        if kind.model == label:
            return kind
    raise LookupError(f"{label} is not a person record (declare it in its app's Capability.person_records)")


def anonymise_expired(model: str, *, actor=None, today=None) -> int:
    """The retention job of one kind: anonymise every record whose retention period has passed."""
    kind = kind_of(model)
    count = 0
    for record in kind.expired_records(today):
        kind.anonymise_record(record, actor=actor, reason=RETENTION)
        count += 1
    return count


def erase(record, *, actor):
    """An erasure request: the kind's anonymisation, at once."""
    return kind_of(record).anonymise_record(record, actor=actor, reason=ERASURE)


def forget_in_audit(record, *, shown_as: str) -> None:
    """After anonymising: the audit log keeps who read or changed the record, under ``shown_as``, not the name."""
    from moulin.core.models import AuditEvent, AuditSubject

    label, pk = record._meta.label_lower, str(record.pk)
    AuditEvent.objects.filter(object_type=label, object_id=pk).update(object_repr=shown_as[:255])
    AuditSubject.objects.filter(object_type=label, object_id=pk).update(object_repr=shown_as[:255])


def record_views(record, *, limit: int = 500) -> list[dict]:
    """Who read this person's record (as the record itself or as the person behind another row), newest first."""
    from django.db.models import Q

    from moulin.core.models import AuditEvent

    label, pk = record._meta.label_lower, str(record.pk)
    events = (
        AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
        .filter(Q(object_type=label, object_id=pk) | Q(subjects__object_type=label, subjects__object_id=pk))
        .distinct()
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    return [
        {"at": e.at, "who": str(e.actor or ""), "what": e.detail.get("part") or e.detail.get("view", "")}
        for e in events
    ]


def labelled(data: dict, sections: dict, *, extra: dict | None = None) -> list[tuple]:
    """The access export for people: each section and field under its label in the reader's language (the JSON
    export keeps the field names). ``sections`` maps a key of ``data`` (or of a nested dict of sections) to
    ``(title, model or None)``. Returns ``[(section title, [[(label, value), ...] per record]), ...]``."""
    from django.utils.translation import gettext as _

    names = {"reference": _("Reference"), "status": _("Status"), "organisation": _("Organisation"),
             "date": _("Date"), "title": _("Title"), "detail": _("Detail")} | (extra or {})  # fmt: skip

    def label(model, name):
        if model is not None:
            try:
                return str(model._meta.get_field(name).verbose_name).capitalize()
            except Exception:  # noqa: BLE001 - a key that is no model field (reference, …)
                pass
        return str(names.get(name, name.replace("_", " "))).capitalize()

    flat = dict(data)
    for value in data.values():
        if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()) and value:
            flat.update(value)
    out = []
    for key, (title, model) in sections.items():
        if key not in flat:
            continue
        value = flat[key]
        rows = [value] if isinstance(value, dict) else value
        out.append((title, [[(label(model, k), v) for k, v in row.items()] for row in rows]))
    for other in data.get("other", []):
        out.append((other["title"], [[("", line)] for line in other["lines"]]))
    return out


def view_record(record, *, actor, part: str = "page") -> None:
    """A read of a person's record (a page, an export), logged with what was read."""
    from moulin.core.models import AuditEvent
    from moulin.core.services import audit

    audit(actor=actor, action=AuditEvent.Action.VIEW, obj=record, detail={"part": part})


def json_export(data: dict, *, filename: str):
    """The access export as a JSON download (field names as they are, dates in ISO format)."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import HttpResponse

    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
                            content_type="application/json")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
