from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "moulin.ops"
    verbose_name = _("Operations")

    def ready(self):
        from moulin.core.navigation import ITEMS, NavItem, register

        if "ops:job_list" not in {item.url_name for item in ITEMS}:
            register(NavItem("admin", _("Scheduled jobs"), "ops:job_list", "clock-history", lambda s: s.is_admin))
