from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.core.fields import PhoneField
from moulin.core.models import TimeStampedModel
from moulin.core.validators import (
    format_iban,
    normalise_iban,
    normalise_vat,
    validate_iban,
    validate_legal_number,
    validate_vat,
)
from moulin.formats import short_date
from moulin.organisations.enums import BoardRole, Level, OrganisationKind, PremisesKind, Represents


class DomainQuerySet(ScopedQuerySet):
    policy_name = "moulin.organisations.policies.DomainPolicy"


class Domain(models.Model):
    """A domain of activity (environment, community care, ...): reference data shared by organisations and projects."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = DomainQuerySet.as_manager()

    #: the fields its ``__str__`` reads: a filter select reads only these (moulin.core.forms.ValuesChoiceIterator)
    label_fields = ("name",)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("domain of activity")
        verbose_name_plural = _("domains of activity")

    def __str__(self) -> str:
        return str(_(self.name))


RESERVED_SLUGS = {"new", "volunteering", "premises", "agreements", "mandates", "meetings"}


class OrganisationQuerySet(ScopedQuerySet):
    policy_name = "moulin.organisations.policies.OrganisationPolicy"

    def members(self):
        return self.filter(kind=OrganisationKind.MEMBER)

    def with_list_data(self):
        return self.select_related("seat_commune").defer("seat_commune__boundary").prefetch_related("domains")


class Organisation(TimeStampedModel):
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.MEMBER
    )
    level = models.CharField(
        _("level"), max_length=12, choices=Level.choices, blank=True,
        help_text=_("Local (one commune), regional (several communes) or sectoral (one domain, network-wide)."),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("web address name"), max_length=80, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=40, default="asbl")
    legal_number = models.CharField(
        _("register number"), max_length=10, unique=True, validators=[validate_legal_number],
        help_text=_("Trade and Companies Register number, e.g. F1234."),
        error_messages={"unique": _("Another organisation already has this register number.")},
    )  # fmt: skip
    vat_number = models.CharField(
        _("VAT number"),
        max_length=14,
        blank=True,
        validators=[validate_vat],
        help_text=_("With the country code in front, e.g. LU15027442."),
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    locality = models.CharField(_("locality"), max_length=100)
    seat_commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        related_name="seated_organisations",
        verbose_name=_("seat commune"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneField(_("phone"))
    website = models.URLField(_("website"), blank=True)
    domains = models.ManyToManyField(Domain, related_name="organisations", blank=True, verbose_name=_("domains"))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    #: the fields its ``__str__`` reads: a filter select reads only these (moulin.core.forms.ValuesChoiceIterator)
    label_fields = ("name",)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.RESOURCE_CENTRE) | ~Q(level=""),
                name="member_has_level",
                violation_error_message=_("A member organisation works at a local, regional or sectoral level."),
            ),
        ]
        indexes = [models.Index(fields=["name", "id"], name="organisation_sort")]  # the list's default sort

    def __str__(self) -> str:
        return self.name

    breadcrumb_list = (_("Organisations"), "organisations:list")

    @property
    def breadcrumb_label(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.slug])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.iban:
            self.iban = normalise_iban(self.iban)
        if self.vat_number:
            self.vat_number = normalise_vat(self.vat_number)
        if self.legal_number:
            self.legal_number = self.legal_number.strip().upper()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This web address name is reserved: choose another.")})
        if self.kind == OrganisationKind.MEMBER and not self.level:
            raise ValidationError({"level": _("A member organisation works at a local, regional or sectoral level.")})
        if self.kind == OrganisationKind.RESOURCE_CENTRE:
            others = Organisation.objects.filter(kind=OrganisationKind.RESOURCE_CENTRE).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"kind": _("The network already has a resource centre.")})

    def formatted_iban(self) -> str:
        return format_iban(self.iban)


class PremisesQuerySet(ScopedQuerySet):
    policy_name = "moulin.organisations.policies.PremisesPolicy"


class Premises(TimeStampedModel):
    """One address an organisation works from: office, depot, web café venue... One organisation, several sites."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="premises", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PremisesKind.choices, default=PremisesKind.OFFICE)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    locality = models.CharField(_("locality"), max_length=100)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="premises", verbose_name=_("commune")
    )
    phone = PhoneField(_("phone"))
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_seat = models.BooleanField(_("registered seat"), default=False)

    objects = PremisesQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-is_seat", "name"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_premises_name",
                violation_error_message=_("This organisation already has premises with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.locality})"

    breadcrumb_parent = "organisation"

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.organisation.slug]) + "#premises"


class AgreementQuerySet(ScopedQuerySet):
    policy_name = "moulin.organisations.policies.AgreementPolicy"

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on)))


class Agreement(TimeStampedModel):
    """An agreement between an organisation and a commune. A commune with a current agreement is covered."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("organisation")
    )
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="agreements", verbose_name=_("commune")
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Leave empty for an open-ended agreement."))
    notes = models.TextField(_("notes"), blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["commune__name", "-start"]
        verbose_name = _("commune agreement")
        verbose_name_plural = _("commune agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="agreement_end_after_start",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.display_name} — {self.commune}"

    breadcrumb_parent = "organisation"

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.organisation.slug]) + "#agreements"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or self.end >= on)

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("An agreement cannot end before it starts.")})
        if self.organisation_id and self.commune_id and self.start:
            overlapping = Agreement.objects.filter(organisation_id=self.organisation_id, commune_id=self.commune_id)
            overlapping = overlapping.exclude(pk=self.pk).filter(Q(end__isnull=True) | Q(end__gte=self.start))
            if self.end:
                overlapping = overlapping.filter(start__lte=self.end)
            if overlapping.exists():
                raise ValidationError(
                    {"start": _("This organisation already has an agreement with this commune over these dates.")}
                )


class BoardMandateQuerySet(ScopedQuerySet):
    policy_name = "moulin.organisations.policies.BoardPolicy"

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on)))


class BoardMandate(TimeStampedModel):
    """A seat on an organisation's governing board."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("organisation")
    )
    person_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="mandates",
        verbose_name=_("Moulin user"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=16, choices=BoardRole.choices, default=BoardRole.MEMBER)
    represents = models.CharField(_("represents"), max_length=20, choices=Represents.choices)
    represents_detail = models.CharField(
        _("on behalf of"), max_length=150, blank=True, help_text=_("e.g. the commune council of Schifflange")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    objects = BoardMandateQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "role", "person_name"]
        verbose_name = _("board mandate")
        verbose_name_plural = _("board mandates")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="mandate_end_after_start",
                violation_error_message=_("A mandate cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_role_display()})"

    breadcrumb_parent = "organisation"

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.organisation.slug]) + "#board"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or self.end >= on)

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("A mandate cannot end before it starts.")})
        if self.role == BoardRole.PRESIDENT and self.organisation_id and self.start:
            others = BoardMandate.objects.filter(organisation_id=self.organisation_id, role=BoardRole.PRESIDENT)
            others = others.exclude(pk=self.pk).filter(Q(end__isnull=True) | Q(end__gte=self.start))
            if self.end:
                others = others.filter(start__lte=self.end)
            clash = others.first()
            if clash:
                raise ValidationError(
                    {
                        "start": _(
                            "%(name)s is already president of this board over these dates: end that mandate first."
                        )
                        % {"name": clash.person_name}
                    }
                )


def minutes_upload_to(instance, filename: str) -> str:
    return f"minutes/{instance.organisation_id}/{instance.date:%Y-%m-%d}-{filename}"


class BoardMeetingQuerySet(ScopedQuerySet):
    policy_name = "moulin.organisations.policies.BoardPolicy"


class BoardMeeting(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("organisation")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    attendees = models.ManyToManyField(
        BoardMandate, related_name="meetings_attended", blank=True, verbose_name=_("present")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to=minutes_upload_to, blank=True)

    objects = BoardMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "date"],
                name="unique_meeting_per_day",
                violation_error_message=_("This board already has a meeting on that day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.display_name} — {short_date(self.date)}"

    breadcrumb_parent = "organisation"

    @property
    def breadcrumb_label(self) -> str:
        return short_date(self.date)

    def get_absolute_url(self) -> str:
        return reverse("organisations:meeting_detail", args=[self.pk])


class VolunteerHoursQuerySet(ScopedQuerySet):
    policy_name = "moulin.organisations.policies.BoardPolicy"

    def in_year(self, year: int):
        return self.filter(date__year=year)

    def total_hours(self):
        return self.aggregate(total=Sum("hours"))["total"] or 0

    def by_organisation(self):
        return self.values("organisation").annotate(hours=Sum("hours"), volunteers=Count("volunteer_name", True))


class VolunteerHours(TimeStampedModel):
    """Time given by board members and volunteers; valued at the network's hourly rate in the funding mix."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="volunteer_hours", verbose_name=_("organisation")
    )
    mandate = models.ForeignKey(
        BoardMandate, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteer_hours",
        verbose_name=_("board mandate"),
    )  # fmt: skip
    volunteer_name = models.CharField(_("volunteer"), max_length=150)
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=2,
        validators=[MinValueValidator(0.25), MaxValueValidator(24)],
    )  # fmt: skip
    activity = models.CharField(_("activity"), max_length=200)

    objects = VolunteerHoursQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "volunteer_name"]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        indexes = [models.Index(fields=["-date", "volunteer_name"], name="volunteer_hours_date_idx")]  # list sort
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="volunteer_hours_in_a_day",
                violation_error_message=_("Hours given on one day lie between a quarter of an hour and 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_name}: {self.hours} h on {self.date}"

    breadcrumb_parent = "organisation"

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.organisation.slug]) + "#volunteering"

    def clean(self) -> None:
        if self.mandate_id and self.organisation_id and self.mandate.organisation_id != self.organisation_id:
            raise ValidationError({"mandate": _("This mandate belongs to another organisation's board.")})
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Volunteer hours are recorded once given, not in advance.")})
