from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AgeBand(models.TextChoices):
    """The age bands visits are counted in (no names: a head count per band and day)."""

    UNDER_25 = "under_25", _("Under 25")
    FROM_25 = "age_25_49", _("25–49")
    FROM_50 = "age_50_64", _("50–64")
    FROM_65 = "age_65_plus", _("65 and over")


#: the visit-count fields, one per age band, in the bands' order
BAND_FIELDS = tuple(AgeBand.values)


class Topic(models.TextChoices):
    BASICS = "basics", _("Computer basics")
    SMARTPHONE = "smartphone", _("Smartphone and tablet")
    EGOVERNMENT = "egovernment", _("E-government (MyGuichet.lu)")
    SAFETY = "safety", _("Internet safety")
    COMMUNICATION = "communication", _("E-mail and video calls")
    OFFICE = "office", _("Office software")
    JOBSEARCH = "jobsearch", _("Job search online")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Language(models.TextChoices):
    LUXEMBOURGISH = "lb", _("Luxembourgish")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    PORTUGUESE = "pt", _("Portuguese")


class Channel(models.TextChoices):
    PUBLIC_PAGE = "public_page", _("Public page")
    COUNTER = "counter", _("At the web café")
    PHONE = "phone", _("By phone")
