from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "moulin.partners"
    verbose_name = _("Partners")

    def ready(self):
        from moulin.core import home
        from moulin.core.navigation import NavItem, register
        from moulin.partners.models import Partner

        register(NavItem("planning", _("Partners"), "partners:list", "link-45deg", lambda scope: scope.authenticated))
        home.SEARCHABLE.append((_("Partners"), Partner, ["name"]))
