from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from moulin.core.api import BoundedPageNumberPagination, error_responses
from moulin.organisations.models import Organisation

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    level: str
    legal_number: str
    seat_commune_code: str
    locality: str
    domains: list[str]
    is_active: bool

    @staticmethod
    def resolve_seat_commune_code(obj) -> str:
        return obj.seat_commune.code

    @staticmethod
    def resolve_domains(obj) -> list[str]:
        return [d.code for d in obj.domains.all()]


@router.get("/", response=list[OrganisationOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=50)
def list_organisations(request, level: str | None = None):
    qs = Organisation.objects.visible_to(request.auth).with_list_data().order_by("name")
    if level:
        qs = qs.filter(level=level)
    return qs


@router.get("/{slug}", response=OrganisationOut, openapi_extra=error_responses(401, 404))
def get_organisation(request, slug: str):
    return get_object_or_404(Organisation.objects.visible_to(request.auth).with_list_data(), slug=slug)
