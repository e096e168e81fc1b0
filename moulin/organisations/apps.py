from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "moulin.organisations"
    verbose_name = _("Network and organisations")
