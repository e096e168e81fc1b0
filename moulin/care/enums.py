from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceLine(models.TextChoices):
    """The service lines of the catalogue (the first three share their values with ``projects``)."""

    COMMUNITY_CARE = "community_care", _("Community care")
    ENVIRONMENT = "environmental_team", _("Environment")
    WEB_CAFE = "web_cafe", _("Web café")
    CULTURE_TOURISM = "culture_tourism", _("Culture and tourism")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    HOUR = "hour", _("hour")
    VISIT = "visit", _("visit")
    LUMP_SUM = "lump_sum", _("lump sum")


class BeneficiaryKind(models.TextChoices):
    ELDERLY = "elderly", _("Elderly person")
    IN_NEED = "in_need", _("Person in need")
    DISABLED = "disabled", _("Person with a disability")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    PHONE = "phone", _("By phone")
    COUNTER = "counter", _("At the counter")
    PUBLIC_FORM = "public_form", _("Public request form")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REFERRED = "referred", _("Referred to a craftsman")
    DECLINED = "declined", _("Declined")
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: requests still waiting for the network's work
OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.ACCEPTED, RequestStatus.SCHEDULED)


class SurveyChannel(models.TextChoices):
    LINK = "link", _("One-time link")
    PHONE = "phone", _("By phone")
