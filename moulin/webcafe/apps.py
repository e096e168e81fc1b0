from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebcafeConfig(AppConfig):
    name = "moulin.webcafe"
    verbose_name = _("Web cafés")
