from ninja import Router, Schema

from moulin.core.api import error_responses
from moulin.organisations.coverage import coverage_figure
from moulin.territory.models import Commune

router = Router(tags=["territory"])


class CommuneOut(Schema):
    code: str
    name: str
    canton: str
    population: int
    covered: bool

    @staticmethod
    def resolve_canton(obj) -> str:
        return obj.canton.name

    @staticmethod
    def resolve_covered(obj) -> bool:
        return obj.is_covered


class CoverageOut(Schema):
    covered: int
    total: int
    share: float


@router.get("/communes", response=list[CommuneOut], openapi_extra=error_responses(401, 422))
def list_communes(request, covered: bool | None = None):
    qs = (
        Commune.objects.visible_to(request.auth)
        .with_coverage()
        .select_related("canton")
        .defer("canton__boundary")
        .order_by("code")
    )
    if covered is not None:
        qs = qs.filter(is_covered=covered)
    return qs


@router.get("/coverage", response=CoverageOut, openapi_extra=error_responses(401))
def coverage(request):
    figure = coverage_figure()
    return {"covered": figure.covered, "total": figure.total, "share": round(figure.share, 1)}
