"""The worker pathway: a participant (the person), their referrals and intake, employment contracts,
ESF+ entry data, development plan, coaching sessions, exit and six-month follow-up.

Every model names its policy (``participants/policies.py``); every row is personal data.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from moulin.core.models import ScopedQuerySet, TimeStampedModel
from moulin.participants.enums import Gender, PathwayStatus
from moulin.participants.validators import check_age, normalise_jobseeker_number, validate_jobseeker_number


class ParticipantQuerySet(ScopedQuerySet):
    policy_name = "moulin.participants.policies.ParticipantPolicy"

    def active(self):
        return self.filter(merged_into__isnull=True)

    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)


class Participant(TimeStampedModel):
    """A person on a pathway with the network: referred, interviewed, hired, followed after leaving."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("organisation responsible"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    jobseeker_number = models.CharField(
        _("ADEM jobseeker number"),
        max_length=14,
        blank=True,
        validators=[validate_jobseeker_number],
        help_text=_("6 to 10 digits, as on the ADEM registration letter."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    residence_commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune of residence"),
    )
    status = models.CharField(
        _("pathway status"), max_length=12, choices=PathwayStatus.choices, default=PathwayStatus.REFERRED
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_participants",
        verbose_name=_("job coach"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["last_name", "first_name", "birth_date"]),
            models.Index(fields=["jobseeker_number"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(jobseeker_number="") | Q(jobseeker_number__regex=r"^[0-9]{6,10}$"),
                name="participant_jobseeker_number_format",
                violation_error_message=_("An ADEM jobseeker number has 6 to 10 digits."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.anonymised_at:
            return str(_("Anonymised participant %(ref)s") % {"ref": str(self.public_id)[:8]})
        return f"{self.first_name} {self.last_name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("participants:detail", args=[self.public_id])

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def clean(self) -> None:
        if self.jobseeker_number:
            self.jobseeker_number = normalise_jobseeker_number(self.jobseeker_number)
        if self.birth_date and self.pk is None:
            check_age(self.birth_date)
        if self.first_name:
            self.first_name = self.first_name.strip()
        if self.last_name:
            self.last_name = self.last_name.strip()
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError(_("A record cannot be merged into itself."))
