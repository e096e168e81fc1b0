"""Work orders and time entries in the JSON API, under the same policies as the pages. A time entry is created
with an idempotency key: sent twice (a phone coming back online), it is stored once."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.core.api import BoundedPageNumberPagination, error_responses
from moulin.fieldwork.models import EntryKind, TimeEntry, WorkOrder
from moulin.fieldwork.services import record_time_entry

router = Router(tags=["field work"])


class WorkOrderOut(Schema):
    id: int
    title: str
    date: datetime.date
    status: str
    planned_hours: Decimal
    site: str
    commune_code: str
    team: str
    checklist: list[dict]

    @staticmethod
    def resolve_site(obj) -> str:
        return obj.site.name

    @staticmethod
    def resolve_commune_code(obj) -> str:
        return obj.site.commune.code

    @staticmethod
    def resolve_team(obj) -> str:
        return obj.team.name


class TimeEntryIn(Schema):
    idempotency_key: uuid.UUID = Field(description="Made by the client; an entry sent again with it is stored once.")
    participant: int
    date: datetime.date
    hours: Decimal = Field(gt=0, le=10)
    kind: EntryKind = EntryKind.WORK_ORDER
    work_order: int | None = None
    intervention: int | None = Field(None, description="The care intervention the hours were spent on.")
    note: str = ""


class TimeEntryOut(Schema):
    id: int
    idempotency_key: uuid.UUID | None
    participant: int
    date: datetime.date
    hours: Decimal
    kind: str
    work_order: int | None
    intervention: int | None
    created: bool = False

    @staticmethod
    def resolve_participant(obj) -> int:
        return obj.participant_id

    @staticmethod
    def resolve_work_order(obj) -> int | None:
        return obj.work_order_id

    @staticmethod
    def resolve_intervention(obj) -> int | None:
        return obj.intervention_id


class RefusalOut(Schema):
    detail: dict[str, list[str]]


def _orders(user):
    return WorkOrder.objects.visible_to(user).select_related("site__commune", "team")


@router.get("/work-orders", response=list[WorkOrderOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=50)
def list_work_orders(request, date_from: datetime.date | None = None, date_to: datetime.date | None = None,
                     team: int | None = None):  # fmt: skip
    qs = _orders(request.auth).order_by("date", "pk")
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if team:
        qs = qs.filter(team_id=team)
    return qs


@router.get("/work-orders/{order_id}", response=WorkOrderOut, openapi_extra=error_responses(401, 404))
def get_work_order(request, order_id: int):
    return get_object_or_404(_orders(request.auth), pk=order_id)


@router.get("/time-entries", response=list[TimeEntryOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=100)
def list_time_entries(request, date_from: datetime.date | None = None, date_to: datetime.date | None = None):
    scope = scope_for(request.auth)
    if not policy_for(TimeEntry).can_list(scope):
        return TimeEntry.objects.none()
    qs = TimeEntry.objects.visible_to(request.auth).order_by("-date", "pk")
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs


@router.post(
    "/time-entries",
    response={200: TimeEntryOut, 201: TimeEntryOut, 400: RefusalOut, 403: RefusalOut},
    openapi_extra=error_responses(401, 404, 422),
    url_name="fieldwork_record_time_entry",
)
def create_time_entry(request, payload: TimeEntryIn):
    """Record a worker's hours. 201: stored; 200: this idempotency key was stored before (nothing new); 400: a
    rule refused the entry (the detail names the field and says why); 404: the worker or work order is outside
    your scope."""
    from moulin.participants.models import Participant

    user = request.auth
    scope = scope_for(user)
    existing = TimeEntry.objects.visible_to(user).filter(idempotency_key=payload.idempotency_key).first()
    if existing is not None:
        existing.created = False
        return Status(200, existing)
    if TimeEntry.objects.filter(idempotency_key=payload.idempotency_key).exists():
        raise HttpError(404, "No such record within your scope.")
    participant = get_object_or_404(Participant.objects.visible_to(user), pk=payload.participant)
    order = None
    if payload.work_order is not None:
        order = get_object_or_404(WorkOrder.objects.visible_to(user), pk=payload.work_order)
    intervention = None
    if payload.intervention is not None:
        from moulin.care.models import Intervention

        intervention = get_object_or_404(Intervention.objects.visible_to(user), pk=payload.intervention)
    under = order if order is not None else (intervention.team if intervention is not None else None)
    if not policy_for(TimeEntry).can(scope, ADD, under):
        raise HttpError(403, "Your role does not allow recording these hours.")
    try:
        entry, created = record_time_entry(
            actor=user, participant=participant, date=payload.date, hours=payload.hours, kind=payload.kind,
            work_order=order, intervention=intervention, idempotency_key=payload.idempotency_key, note=payload.note,
        )  # fmt: skip
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return Status(400, {"detail": detail})
    entry.created = created
    return Status(201 if created else 200, entry)
