"""The home page and the search, on top of every app: each app adds its home panels and searchable families in its
capability."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View

from moulin.access.querysets import policy_for
from moulin.access.roles import Role
from moulin.core.capabilities import collected
from moulin.core.search import search
from moulin.core.views import ScopedMixin, may_query
from moulin.home.cache import cached_home
from moulin.home.figures import home_figures, home_panels
from moulin.organisations.models import Organisation
from moulin.territory.models import Commune


class HomeView(ScopedMixin, View):
    model = Organisation

    def get(self, request):
        content = cached_home(request, lambda: self.content(request))
        return render(request, "home/home.html", {"title": _("Home"), "content": content})

    def content(self, request) -> str:
        scope = self.scope
        context = {
            "figures": home_figures(request.user),
            "my_organisations": Organisation.objects.visible_to(request.user).filter(pk__in=scope.member_org_ids),
            "my_communes": Commune.objects.visible_to(request.user).filter(pk__in=scope.commune_ids),
            "role_labels": [Role(r).label for r in sorted(scope.roles)],
            "panels": home_panels(request),
            "no_role": not scope.roles and not scope.is_admin,
        }
        return render_to_string("home/content.html", context, request)


class SearchView(ScopedMixin, View):
    model = Organisation

    def get(self, request):
        term = request.GET.get("q", "").strip()
        groups = []
        if len(term) >= 2:
            for family in collected("searchable"):
                # only the fields the role may read are searched (a hidden number cannot be probed)
                allowed = [f for f in family.fields if may_query(policy_for(family.model_class), self.scope, f)]
                if not allowed:
                    continue
                rows = family.model_class._default_manager.visible_to(request.user)
                if family.related:
                    rows = rows.select_related(*family.related)
                hits = list(search(rows, allowed, term)[:20])
                self.note_read(*hits)
                if hits:
                    groups.append({"label": family.label, "hits": hits})
        return self.render(
            "home/search.html",
            {"title": _("Search"), "search_term": term, "groups": groups, "too_short": 0 < len(term) < 2},
        )

    def get_breadcrumbs(self):
        return [(_("Search"), "")]
