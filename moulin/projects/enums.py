from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    ASSESSED = "assessed", _("Assessed")
    ADDRESSED = "addressed", _("Addressed by a project")
    DECLINED = "declined", _("Declined")


#: a need is open while no project answers it and it is not declined
OPEN_NEED_STATUSES = (NeedStatus.IDENTIFIED, NeedStatus.ASSESSED)


class RaisedBy(models.TextChoices):
    COUNCIL = "council", _("Commune council")
    PARTNER = "partner", _("Partner")
    BOARD = "board", _("Board of an organisation")
    RESIDENT = "resident", _("Resident")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class Term(models.TextChoices):
    LONG = "long", _("Long-term (ongoing)")
    SHORT = "short", _("Short-term")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class ServiceLine(models.TextChoices):
    COMMUNITY_CARE = "community_care", _("Community-care service")
    WEB_CAFE = "web_cafe", _("Web café")
    ENVIRONMENTAL_TEAM = "environmental_team", _("Environmental team")
