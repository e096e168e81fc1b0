from django.db.models import Count, Sum
from django.http import JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.gzip import gzip_page

from moulin.core.capabilities import collected
from moulin.core.pagination import shortlist
from moulin.core.tables import Column
from moulin.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedMixin
from moulin.organisations.coverage import coverage_figure, coverage_geojson, present_organisations
from moulin.organisations.models import Agreement, Organisation, Premises
from moulin.territory.forms import CommuneFilterForm, CommuneForm
from moulin.territory.models import Canton, Commune


def _covered_label(commune):
    return _("covered") if commune.is_covered else _("not covered")


class CommuneList(ScopedListView):
    model = Commune
    template_name = "territory/commune_list.html"
    title = _("Communes")
    filter_form_class = CommuneFilterForm
    search_fields = ["name", "code"]
    default_sort = "name"
    export_name = "communes"
    select_related = ["canton"]
    create_url_name = "territory:commune_create"
    columns = [
        Column("code", _("Code"), sort="code"),
        Column("name", _("Name"), sort="name", link=True),
        Column("canton", _("Canton"), "canton.name", sort="canton__name"),
        Column("population", _("Population"), sort="population", align="text-end"),
        Column("coverage", _("Coverage"), _covered_label, sort="is_covered"),
    ]

    def get_queryset(self):
        return super().get_queryset().with_coverage()

    def extra_context(self):
        return {"coverage": coverage_figure()}

    def get_breadcrumbs(self):
        return [(_("Communes"), "")]


class CantonList(ScopedListView):
    model = Canton
    title = _("Cantons")
    default_sort = "name"
    export_name = "cantons"
    search_fields = ["name", "code"]
    columns = [
        Column("code", _("Code"), sort="code"),
        Column("name", _("Name"), sort="name"),
        Column("iso_code", _("ISO 3166-2"), sort="iso_code"),
        Column("n_communes", _("Communes"), sort="n_communes", align="text-end"),
        Column("population", _("Population"), "total_population", sort="total_population", align="text-end"),
    ]

    def get_queryset(self):
        return (
            super().get_queryset().annotate(n_communes=Count("communes"), total_population=Sum("communes__population"))
        )

    def get_breadcrumbs(self):
        return [(_("Cantons"), "")]


class CommuneDetail(ScopedDetailView):
    model = Commune
    lookup_field = "code"
    lookup_url_kwarg = "code"
    template_name = "territory/commune_detail.html"

    def get_context(self, commune):
        user = self.request.user
        today = timezone.localdate()
        agreements = (
            Agreement.objects.visible_to(user)
            .filter(commune=commune)
            .select_related("organisation")
            .order_by("-start")
        )
        everyone = present_organisations(commune, today)
        present, present_visible = shortlist(
            Organisation.objects.visible_to(user).filter(pk__in=everyone).order_by("name", "pk")
        )
        present_count = everyone.count()
        agreements, agreements_total = shortlist(agreements.order_by("-start", "-pk"))
        premises, premises_total = shortlist(
            Premises.objects.visible_to(user)
            .filter(commune=commune)
            .select_related("organisation")
            .order_by("name", "pk")
        )
        return {
            "object": commune,
            "commune": commune,
            "agreements": agreements,
            "agreements_more": agreements_total - len(agreements),
            "present": present,
            "present_count": present_count,
            "present_more": present_visible - len(present),
            "present_elsewhere": present_count - present_visible,
            "mergers": commune.mergers.all(),
            "premises": premises,
            "premises_more": premises_total - len(premises),
            "covered": present_count > 0,
            "extra_sections": [section(commune, user) for section in collected("commune_sections")],
        }


class CommuneCreate(ScopedFormView):
    model = Commune
    form_class = CommuneForm
    creating = True
    crumb_label = _("New commune")


class CommuneUpdate(ScopedFormView):
    model = Commune
    form_class = CommuneForm
    lookup_field = "code"
    lookup_url_kwarg = "code"


class CoverageMap(ScopedMixin, View):
    model = Commune

    def get_breadcrumbs(self):
        return [(_("Coverage map"), "")]

    def get(self, request):
        return self.render("territory/coverage_map.html", {"coverage": coverage_figure(), "title": _("Coverage map")})


@method_decorator(gzip_page, name="dispatch")
class CoverageData(ScopedMixin, View):
    """The map's GeoJSON (about 300 KiB of boundaries): compressed, as it holds no secret."""

    model = Commune

    def get(self, request):
        return JsonResponse(coverage_geojson(user=request.user))
