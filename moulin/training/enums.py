from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    SOCIAL = "social", _("Social")
    LANGUAGE = "language", _("Language")
    DIGITAL = "digital", _("Digital")
    SAFETY = "safety", _("Safety")


class ProviderKind(models.TextChoices):
    INTERNAL = "internal", _("Internal (our trainers)")
    EXTERNAL = "external", _("External (a partner)")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: statuses that hold a place in the session
HOLDS_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class SkillSource(models.TextChoices):
    TRAINING = "training", _("Completed training")
    COACH = "coach", _("Recorded by a coach")


WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
