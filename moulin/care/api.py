"""Community-care requests in the JSON API, under the same policies as the pages.

- ``GET /care/requests`` and ``GET /care/requests/{id}``: the requests the user reads (``RequestPolicy``). The
  beneficiary (name, address, phone) and the description in their own words come only to those who read the
  beneficiary (``BeneficiaryPolicy``): a commune officer gets the request, its service, kind of work, commune,
  status and dates (what the commune's contract follows), with ``beneficiary`` and ``description`` empty.
- ``POST /care/requests``: take a request for a beneficiary, through the same service as the pages
  (``services.record_request``): numbered and checked against the craft rules at once; the answer says whether
  it was accepted, referred to a craftsman (with the referral text) or declined, and why.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.care.enums import Channel, RequestStatus
from moulin.care.models import Beneficiary, Request, ServiceType, WorkKind
from moulin.care.services import record_request
from moulin.core.api import BoundedPageNumberPagination, error_responses
from moulin.core.models import AuditEvent
from moulin.core.services import audit

router = Router(tags=["community care"])


class BeneficiaryOut(Schema):
    id: int
    first_name: str
    last_name: str
    address: str
    postcode: str
    commune_code: str
    phone: str

    @staticmethod
    def resolve_commune_code(obj) -> str:
        return obj.commune.code


class RequestOut(Schema):
    id: int
    reference: str
    organisation: int
    received_on: datetime.date
    channel: str
    service_type: int
    service: str
    work_kind: str | None
    commune_code: str
    status: str
    status_label: str
    reason: str
    referral_text: str
    estimated_hours: Decimal | None
    estimated_material_value: Decimal | None
    description: str | None = Field(None, description="Only for those who read the beneficiary.")
    beneficiary: BeneficiaryOut | None = Field(None, description="Only for those who read the beneficiary.")

    @staticmethod
    def resolve_organisation(obj) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_service_type(obj) -> int:
        return obj.service_type_id

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service_type.name

    @staticmethod
    def resolve_work_kind(obj) -> str | None:
        return obj.work_kind.name if obj.work_kind_id else None

    @staticmethod
    def resolve_commune_code(obj) -> str:
        return obj.commune.code

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_description(obj) -> str | None:
        return obj.description if obj.beneficiary_shown else None

    @staticmethod
    def resolve_beneficiary(obj):
        return obj.beneficiary if obj.beneficiary_shown else None


class RequestIn(Schema):
    beneficiary: int
    service_type: int
    description: str = Field(min_length=1, max_length=4000)
    channel: Channel = Channel.PHONE
    work_kind: int | None = None
    estimated_hours: Decimal | None = Field(None, gt=0, le=999)
    estimated_material_value: Decimal | None = Field(None, ge=0, le=999_999)
    received_on: datetime.date | None = None


class RefusalOut(Schema):
    detail: dict[str, list[str]]


def _requests(user):
    """The requests the user reads, each marked with whether its beneficiary is shown (one query)."""
    shown = Beneficiary.objects.visible_to(user).filter(pk=OuterRef("beneficiary_id"))
    return (
        Request.objects.visible_to(user)
        .select_related("service_type", "work_kind", "commune", "beneficiary__commune")
        .annotate(beneficiary_shown=Exists(shown))
    )


@router.get("/requests", response=list[RequestOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=50)
def list_requests(request, status: RequestStatus | None = None, commune: str | None = None,
                  received_from: datetime.date | None = None, received_to: datetime.date | None = None):  # fmt: skip
    """The requests you read, newest first; filter by status, commune code and day received."""
    qs = _requests(request.auth).order_by("-received_on", "-pk")
    if status:
        qs = qs.filter(status=status)
    if commune:
        qs = qs.filter(commune__code=commune)
    if received_from:
        qs = qs.filter(received_on__gte=received_from)
    if received_to:
        qs = qs.filter(received_on__lte=received_to)
    return qs


@router.get("/requests/{request_id}", response=RequestOut, openapi_extra=error_responses(401, 404))
def get_request(request, request_id: int):
    found = get_object_or_404(_requests(request.auth), pk=request_id)
    if found.beneficiary_shown:  # a read of the beneficiary's data, audited as on the request's page
        audit(actor=request.auth, action=AuditEvent.Action.VIEW, obj=found.beneficiary,
              detail={"part": "API request", "request": found.reference})  # fmt: skip
    return found


@router.post(
    "/requests",
    response={201: RequestOut, 400: RefusalOut, 403: RefusalOut},
    openapi_extra=error_responses(401, 404, 422),
    url_name="care_record_request",
)
def create_request(request, payload: RequestIn):
    """Take a request for a beneficiary. 201: numbered and checked against the craft rules at once (``status``:
    accepted, referred with the ``referral_text``, or declined with the ``reason``); 400: a rule refused it (the
    detail names the field); 403: your role does not take requests for this beneficiary; 404: the beneficiary,
    service or kind of work is outside your scope."""
    user = request.auth
    beneficiary = get_object_or_404(Beneficiary.objects.visible_to(user), pk=payload.beneficiary)
    if beneficiary.anonymised_at or not policy_for(Request).can(scope_for(user), ADD, beneficiary):
        raise HttpError(403, "Your role does not take requests for this beneficiary.")
    service = get_object_or_404(ServiceType.objects.visible_to(user), pk=payload.service_type)
    kind = None
    if payload.work_kind is not None:
        kind = get_object_or_404(WorkKind.objects.visible_to(user), pk=payload.work_kind)
    try:
        made = record_request(
            actor=user, beneficiary=beneficiary, service_type=service, description=payload.description,
            channel=payload.channel, work_kind=kind, estimated_hours=payload.estimated_hours,
            estimated_material_value=payload.estimated_material_value, received_on=payload.received_on,
        )  # fmt: skip
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return Status(400, {"detail": detail})
    return Status(201, get_object_or_404(_requests(user), pk=made.pk))
