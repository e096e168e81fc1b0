"""Partners: the outside bodies the network works with, their contacts, and partnerships that link them to
an organisation or a project."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.core.fields import PhoneField
from moulin.core.models import TimeStampedModel
from moulin.partners.enums import PartnerKind, PartnerLevel


class PartnerQuerySet(ScopedQuerySet):
    policy_name = "moulin.partners.policies.PartnerPolicy"

    def with_list_data(self):
        return self.select_related("commune").defer("commune__boundary")


class Partner(TimeStampedModel):
    """An outside body: commune administration, ministry, employment service, association, company..."""

    name = models.CharField(_("name"), max_length=200, unique=True,
                            error_messages={"unique": _("A partner with this name is already recorded.")})  # fmt: skip
    kind = models.CharField(_("kind"), max_length=24, choices=PartnerKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=PartnerLevel.choices, default=PartnerLevel.LOCAL)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="partners",
        verbose_name=_("commune"), help_text=_("Where the partner is based (for a local partner)."),
    )  # fmt: skip
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneField(_("phone"))
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["name", "id"], name="partner_sort")]  # the list's default sort

    def __str__(self) -> str:
        return self.name

    breadcrumb_list = (_("Partners"), "partners:list")

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.pk])

    def clean(self) -> None:
        if self.level == PartnerLevel.LOCAL and self.kind == PartnerKind.COMMUNE and not self.commune_id:
            raise ValidationError({"commune": _("A commune administration is attached to its commune.")})


class ContactQuerySet(ScopedQuerySet):
    policy_name = "moulin.partners.policies.ContactPolicy"


class Contact(TimeStampedModel):
    """A person to call at a partner. Personal data: never shown to aggregate-only roles."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneField(_("phone"))

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"

    breadcrumb_parent = "partner"

    def get_absolute_url(self) -> str:
        return self.partner.get_absolute_url() + "#contacts"


class PartnershipQuerySet(ScopedQuerySet):
    policy_name = "moulin.partners.policies.PartnershipPolicy"

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(since__isnull=True) | Q(since__lte=on)).filter(Q(until__isnull=True) | Q(until__gte=on))


class Partnership(TimeStampedModel):
    """A partner working with one organisation or on one project, in a role, over a period."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="partnerships", verbose_name=_("organisation"),
    )  # fmt: skip
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="partnerships",
        verbose_name=_("project"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=150, help_text=_("e.g. co-funder, referrer of jobseekers, host"))
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "-since"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="partnership_ends_after_start",
                violation_error_message=_("A partnership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, project__isnull=False)
                | Q(organisation__isnull=False, project__isnull=True),
                name="partnership_with_organisation_or_project",
                violation_error_message=_("A partnership links the partner to an organisation or to a project."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.counterpart}"

    @property
    def counterpart(self):
        return self.project or self.organisation

    breadcrumb_parent = "partner"

    def get_absolute_url(self) -> str:
        return self.partner.get_absolute_url() + "#partnerships"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (self.since is None or self.since <= on) and (self.until is None or self.until >= on)

    def clean(self) -> None:
        errors = {}
        if self.since and self.until and self.until < self.since:
            errors["until"] = _("A partnership cannot end before it starts.")
        if bool(self.organisation_id) == bool(self.project_id):
            errors["organisation" if not self.project_id else "project"] = _(
                "Link the partner to an organisation or to a project (one of the two)."
            )
        if errors:
            raise ValidationError(errors)
