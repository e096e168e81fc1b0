from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet


class BoundaryQuerySet(ScopedQuerySet):
    """A boundary is a large GeoJSON geometry (the communes' total 274 KB): loading and decoding them to print
    names made lists slow and fed Python's garbage collector. The manager defers it; only the map and the
    GeoJSON endpoints ask for it, with ``with_boundary()``."""

    policy_name = "moulin.territory.policies.TerritoryPolicy"

    def with_boundary(self):
        return self.defer(None)


class BoundaryManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().defer("boundary")


class CantonQuerySet(BoundaryQuerySet):
    pass


class Canton(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("Official LAU1 code."))
    name = models.CharField(_("name"), max_length=100)
    iso_code = models.CharField(_("ISO 3166-2"), max_length=8, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    objects = BoundaryManager.from_queryset(CantonQuerySet)()

    LIST_DEFERRED = ("boundary",)

    #: the fields its ``__str__`` reads: a filter select reads only these (moulin.core.forms.ValuesChoiceIterator)
    label_fields = ("name",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("canton")
        verbose_name_plural = _("cantons")

    def __str__(self) -> str:
        return self.name


class CommuneQuerySet(BoundaryQuerySet):
    def covered(self, on=None):
        """Communes with a current agreement with at least one organisation (for former communes: whose commune
        of today has one). The one definition of "covered": map, lists, commune pages and home read it."""
        from moulin.organisations.coverage import has_current_agreement

        return self.filter(has_current_agreement(on, "successor" if self.model is not Commune else "pk"))

    def with_coverage(self, on=None):
        from moulin.organisations.coverage import has_current_agreement

        return self.annotate(is_covered=has_current_agreement(on))


commune_code_validator = RegexValidator(r"^\d{4}$", _("A commune code has four digits (LAU2 code, e.g. 0304)."))


class Commune(models.Model):
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[commune_code_validator],
        help_text=_("Official LAU2 code."),
        error_messages={"unique": _("Another commune already has this code.")},
    )
    name = models.CharField(_("name"), max_length=100)
    canton = models.ForeignKey(Canton, on_delete=models.PROTECT, related_name="communes", verbose_name=_("canton"))
    population = models.PositiveIntegerField(
        _("population"), help_text=_("Residents on 1 January of the latest year.")
    )
    population_previous = models.PositiveIntegerField(_("population the year before"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), default=2026)
    has_city_status = models.BooleanField(_("city status"), default=False)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    objects = BoundaryManager.from_queryset(CommuneQuerySet)()

    LIST_DEFERRED = ("boundary",)

    #: the fields its ``__str__`` reads: a filter select reads only these (moulin.core.forms.ValuesChoiceIterator)
    label_fields = ("name",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.CheckConstraint(condition=Q(population__gte=0), name="commune_population_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    breadcrumb_list = (_("Communes"), "territory:commune_list")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("territory:commune_detail", args=[self.code])

    def is_covered(self, on=None) -> bool:
        return self.agreements.current(on or timezone.localdate()).exists()


class FormerCommune(models.Model):
    """One of the 116 communes as they stood before the mergers of 2012–2023, with the commune it is part of
    today. Coverage "of 116" (the seed's denominator) counts a former commune covered when today's is."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    canton_name = models.CharField(_("canton in 2011"), max_length=100)
    successor = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="former_communes", verbose_name=_("commune today")
    )
    absorbed_on = models.DateField(_("merged on"), null=True, blank=True)
    merger_law = models.CharField(_("merger law"), max_length=255, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("former commune")
        verbose_name_plural = _("former communes")

    def __str__(self) -> str:
        return self.name


class CommuneMerger(models.Model):
    """A merger of communes (Luxembourg: 116 → 106 in 2012, 105 in 2015, 102 in 2018, 100 in 2023)."""

    effective_date = models.DateField(_("in force from"))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="mergers", verbose_name=_("commune"))
    former_communes = models.CharField(_("former communes"), max_length=255)
    legal_act = models.CharField(_("legal act"), max_length=255, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["effective_date", "commune__name"]
        verbose_name = _("commune merger")
        verbose_name_plural = _("commune mergers")
        constraints = [
            models.UniqueConstraint(fields=["commune", "effective_date"], name="unique_merger_per_commune_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.commune} ({self.effective_date:%Y})"
