from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The pages of the whole network, on top of every app: the home page (figures and each app's panels) and the
    search (each app's searchable families)."""

    name = "moulin.home"
    verbose_name = _("Home")
