from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "moulin.ops"
    verbose_name = _("Operations")

    def ready(self):
        from moulin.ops.schedules import add_retention_jobs

        add_retention_jobs()
