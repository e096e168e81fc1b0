"""The dashboards' figures in the JSON API (``/api/v1/reporting/dashboard``): the same figures as the pages, counted
through the same policies, with counts below 5 left out for aggregate-only roles."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError

from moulin.core.api import error_responses
from moulin.reporting.figures import Query, dashboard
from moulin.reporting.period import parse_period
from moulin.reporting.views import dimension_object

router = Router(tags=["reporting"])


class PartOut(Schema):
    key: str
    label: str
    value: float | None
    previous: float | None
    suppressed: bool


class FigureOut(Schema):
    key: str
    label: str
    value: float | None
    previous: float | None
    target: float | None
    suppressed: bool
    unit: str
    definition: str
    breakdown: list[PartOut]


class SectionOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]


class DashboardOut(Schema):
    dimension: str
    id: int | None
    year: int
    period: str
    start: str
    end: str
    sections: list[SectionOut]


@router.get("/dashboard", response=DashboardOut, openapi_extra=error_responses(401, 403, 404, 422))
def get_dashboard(
    request, year: str | None = None, period: str | None = None, dimension: str = "network", id: int | None = None
):  # noqa: A002 - the same parameter name as the pages
    """The dashboard of the network (or of one organisation, commune, project or domain the user may see) for a
    year or one of its quarters or halves, compared with the same period a year before."""
    user = request.auth
    try:
        chosen = parse_period(year, period)
    except ValidationError as exc:
        raise HttpError(422, exc.messages[0]) from None
    try:
        obj = None if dimension == "network" else dimension_object(user, dimension, id)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Forbidden") from None
    sections = dashboard(Query(user, dimension, obj, chosen))

    def num(v):
        return None if v is None else float(v)

    out = []
    for s in sections:
        figures = []
        for f in s.figures:
            d = f.as_dict()
            figures.append({**d, "value": num(d["value"]), "previous": num(d["previous"]), "target": num(d["target"]),
                            "breakdown": [{**p, "value": num(p["value"]), "previous": num(p["previous"])}
                                          for p in d["breakdown"]]})  # fmt: skip
        out.append({"key": s.key, "title": str(s.title), "figures": figures})
    return {"dimension": dimension, "id": None if obj is None else obj.pk, "year": chosen.year, "period": chosen.part,
            "start": chosen.start.isoformat(), "end": chosen.end.isoformat(), "sections": out}  # fmt: skip
