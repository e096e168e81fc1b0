"""Counts for every role (never a person): the year's pathway figures."""

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View

from moulin.core.views import ScopedMixin
from moulin.organisations.models import Organisation
from moulin.participants import enums
from moulin.participants.figures import pathway_figures

AGE_BANDS = {"under 30": _("under 30"), "30-54": _("30 to 54"), "55 and over": _("55 and over"),
             "unknown": _("not recorded")}  # fmt: skip


class PathwayFigures(ScopedMixin, View):
    """The year's pathway figures over the organisations the user may see: counts only, never a person, so
    board members, commune and ministry officers read them too."""

    model = Organisation

    def get_breadcrumbs(self):
        return [(_("Pathway figures"), "")]

    def get(self, request):
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year + 1)
        figures = pathway_figures(year, user=request.user)
        network_wide = self.scope.reads_network_aggregates
        labels = {
            "situation": dict(enums.Situation.choices),
            "status": dict(enums.LabourMarketStatus.choices),
            "isced": dict(enums.Isced.choices),
            "gender": dict(enums.Gender.choices),
        }

        def labelled(counts, kind):
            return sorted(((labels[kind].get(k, gettext("not recorded")) if k else gettext("not recorded"), n)
                           for k, n in counts.items()), key=lambda kv: -kv[1])  # fmt: skip

        context = {
            "title": gettext("Pathway figures %(year)s") % {"year": year},
            "year": year,
            "years": list(range(today.year - 4, today.year + 1)),
            "figures": figures,
            "network_wide": network_wide,
            "organisations": None if network_wide else Organisation.objects.visible_to(request.user).members(),
            "exits_by_situation": labelled(figures["exits_by_situation"], "situation"),
            "hires_by_status": labelled(figures["hires_by_status"], "status"),
            "hires_by_isced": labelled(figures["hires_by_isced"], "isced"),
            "hires_by_gender": labelled(figures["hires_by_gender"], "gender"),
            "hires_by_age": [
                (AGE_BANDS[k], figures["hires_by_age"][k]) for k in AGE_BANDS if k in figures["hires_by_age"]
            ],
        }
        return self.render("participants/figures.html", context)
