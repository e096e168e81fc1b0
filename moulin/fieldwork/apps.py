from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "moulin.fieldwork"
    verbose_name = _("Environmental teams and time entries")
    default_auto_field = "django.db.models.BigAutoField"
