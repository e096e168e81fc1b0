from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "moulin.contracts"
    verbose_name = _("Contracts, funding and budgets")
    default_auto_field = "django.db.models.BigAutoField"
