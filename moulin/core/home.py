from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from moulin.access.roles import Role
from moulin.core.dashboard import home_figures, home_panels
from moulin.core.forms import FilterForm
from moulin.core.forms_settings import NetworkSettingsForm
from moulin.core.models import AuditEvent, NetworkSettings
from moulin.core.search import search
from moulin.core.services import save_form
from moulin.core.tables import Column
from moulin.core.views import ScopedListView, ScopedMixin
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
                hits = list(search(model._default_manager.visible_to(request.user), fields, term)[:20])
                if hits:
                    groups.append({"label": label, "hits": hits})
        return self.render(
            "core/search.html",
            {"title": _("Search"), "search_term": term, "groups": groups, "too_short": 0 < len(term) < 2},
        )

    def get_breadcrumbs(self):
        return [(_("Search"), "")]


class AuditFilterForm(FilterForm):
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=AuditEvent.Action.choices)
    object_type = forms.CharField(label=gettext_lazy("Object type"))
    lookups = {"action": "action", "object_type": "object_type__icontains"}


class AuditList(ScopedListView):
    model = AuditEvent
    title = gettext_lazy("Audit log")
    intro = gettext_lazy("Who read or changed what, and when. Kept for the network administrators.")
    filter_form_class = AuditFilterForm
    search_fields = ["object_repr", "actor__email", "object_id"]
    default_sort = "-at"
    export_name = "audit-log"
    select_related = ["actor"]
    columns = [
        Column("at", gettext_lazy("When"), sort="at"),
        Column("actor", gettext_lazy("Who"), lambda e: e.actor.email if e.actor else "—", sort="actor__email"),
        Column("action", gettext_lazy("Action"), sort="action"),
        Column("object_type", gettext_lazy("Type"), sort="object_type"),
        Column("object_repr", gettext_lazy("Object")),
        Column("detail", gettext_lazy("Detail"), lambda e: ", ".join(f"{k}: {v}" for k, v in e.detail.items())),
    ]

    def get_breadcrumbs(self):
        return [(_("Audit log"), "")]


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
