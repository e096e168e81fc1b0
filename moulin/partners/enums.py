from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    COMMUNE = "commune", _("Commune administration")
    MINISTRY = "ministry", _("Ministry")
    EMPLOYMENT_SERVICE = "employment_service", _("Public employment service")
    ASSOCIATION = "association", _("Association")
    UNION = "union", _("Union")
    COMPANY = "company", _("Company")
    CHAMBER = "chamber", _("Chamber of commerce or crafts")
    UNIVERSITY = "university", _("University")
    CRAFT_BUSINESS = "craft_business", _("Craft business")
    NETWORK = "network", _("Other network")


class PartnerLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")
