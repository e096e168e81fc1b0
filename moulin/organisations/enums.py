from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    RESOURCE_CENTRE = "resource_centre", _("Resource centre")
    MEMBER = "member", _("Member organisation")


class Level(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    SECTORAL = "sectoral", _("Sectoral")


class PremisesKind(models.TextChoices):
    OFFICE = "office", _("Office")
    DEPOT = "depot", _("Depot")
    WORKSHOP = "workshop", _("Workshop")
    WEB_CAFE = "web_cafe", _("Web café venue")
    TRAINING = "training", _("Training room")
    OTHER = "other", _("Other")


class BoardRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")
    MEMBER = "member", _("Member")


class Represents(models.TextChoices):
    RESIDENT = "resident", _("Local resident")
    COMMUNE_COUNCIL = "commune_council", _("Commune council")
    ASSOCIATION = "association", _("Association")
    UNION = "union", _("Union")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")
