"""The administrators' page of the core: the network settings. (The home page and the search are ``moulin.home``;
the audit log is ``moulin.core.audit_log``.)"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from moulin.core.forms_settings import NetworkSettingsForm
from moulin.core.models import NetworkSettings
from moulin.core.services import save_form
from moulin.core.views import ScopedMixin


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
