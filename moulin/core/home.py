from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from moulin.access.querysets import policy_for
from moulin.access.roles import Role
from moulin.core.dashboard import home_figures, home_panels
from moulin.core.forms_settings import NetworkSettingsForm
from moulin.core.models import NetworkSettings
from moulin.core.services import save_form
from moulin.core.views import ScopedMixin, may_query
from moulin.organisations.models import Organisation
from moulin.territory.models import Commune


class HomeView(ScopedMixin, View):
    model = Organisation

    def get(self, request):
        scope = self.scope
        context = {
            "title": _("Home"),
            "figures": home_figures(request.user),
            "my_organisations": Organisation.objects.visible_to(request.user).filter(pk__in=scope.member_org_ids),
            "my_communes": Commune.objects.visible_to(request.user).filter(pk__in=scope.commune_ids),
            "role_labels": [Role(r).label for r in sorted(scope.roles)],
            "panels": home_panels(request),
            "no_role": not scope.roles and not scope.is_admin,
        }
        return render(request, "core/home.html", context)


#: searchable families: (label, model, fields, url-getter); later capabilities add theirs
SEARCHABLE = [
    (gettext_lazy("Organisations"), Organisation, ["name", "short_name", "locality", "legal_number"]),
    (gettext_lazy("Communes"), Commune, ["name", "code"]),
]


class SearchView(ScopedMixin, View):
    model = Organisation

    def get(self, request):
        term = request.GET.get("q", "").strip()
        groups = []
        if len(term) >= 2:
            for label, model, fields in SEARCHABLE:
                # only the fields the role may read are searched (a hidden number cannot be probed)
                allowed = [f for f in fields if may_query(policy_for(model), self.scope, f)]
                if not allowed:
                    continue
                q = Q()
                for f in allowed:
                    q |= Q(**{f"{f}__icontains": term})
                hits = list(model._default_manager.visible_to(request.user).filter(q)[:20])
                self.note_read(*hits)
                if hits:
                    groups.append({"label": label, "hits": hits})
        return self.render(
            "core/search.html",
            {"title": _("Search"), "search_term": term, "groups": groups, "too_short": 0 < len(term) < 2},
        )

    def get_breadcrumbs(self):
        return [(_("Search"), "")]


class NetworkSettingsView(ScopedMixin, View):
    model = NetworkSettings

    def dispatch(self, request, *args, **kwargs):
        if not self.scope.is_admin:
            raise PermissionDenied(_("Only network administrators change the network settings."))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [(_("Network settings"), "")]

    def get(self, request):
        form = NetworkSettingsForm(instance=NetworkSettings.load(), request=request)
        return self.render("components/form_page.html", {"form": form, "title": _("Network settings")})

    def post(self, request):
        form = NetworkSettingsForm(request.POST, instance=NetworkSettings.load(), request=request)
        if not form.is_valid():
            return self.render("components/form_page.html", {"form": form, "title": _("Network settings")}, status=422)
        save_form(form, actor=request.user)
        messages.success(request, _("The network settings have been saved."))
        return HttpResponseRedirect(reverse("core:settings"))
