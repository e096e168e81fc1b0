from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(ScopedQuerySet):
    policy_name = "moulin.core.policies.AuditEventPolicy"


class AuditEvent(models.Model):
    """Who did or read what, and when. Written by services; browsed by network administrators."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")
        LOGIN = "login", _("logged in")
        REFUSED = "refused", _("refused")
        OTHER = "other", _("other")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    #: how many people (``AuditSubject``) the event concerns, written with them: the audit log shows the first few
    #: and "and N more" without counting every event's subjects at each request
    subject_count = models.PositiveIntegerField(_("people concerned"), default=0, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # the audit log lists the newest first, over every event the network ever recorded
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["at", "id"], name="audit_event_sort"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class AuditSubjectQuerySet(ScopedQuerySet):
    policy_name = "moulin.core.policies.AuditEventPolicy"


class AuditSubject(models.Model):
    """A person an audit event concerns: the participant whose record was read, each person of an export, the
    board member or contact shown. Lets the audit log answer "who read this person's data?"."""

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="subjects")
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_ref = models.CharField(_("reference"), max_length=64, blank=True)
    object_repr = models.CharField(_("person"), max_length=255, blank=True)

    objects = AuditSubjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("audited person")
        verbose_name_plural = _("audited people")
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["object_ref"])]

    def __str__(self) -> str:
        return self.object_repr or f"{self.object_type} {self.object_id}"


class NetworkSettings(models.Model):
    """The network's own settings (one row)."""

    name = models.CharField(_("network name"), max_length=200, default="Moulin network")
    volunteer_hour_rate = models.DecimalField(
        _("value of one volunteer hour (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=25,
        help_text=_("Volunteer time is valued at this rate in the funding mix."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network settings")
        verbose_name_plural = _("network settings")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> "NetworkSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
