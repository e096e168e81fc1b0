from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet


class CounterQuerySet(ScopedQuerySet):
    policy_name = "moulin.sequences.policies.CounterPolicy"


class Counter(models.Model):
    """The last number issued in a series, for one issuing organisation (or the whole network) and one year.

    Only ``sequences.services.next_number`` advances it, under a row lock, inside the transaction that writes
    the numbered document: a rolled-back document gives its number back, two issuers never get the same one.
    """

    series = models.CharField(_("series"), max_length=40)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("issuing organisation"), help_text=_("Empty for a series numbered across the network."),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number issued"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CounterQuerySet.as_manager()

    class Meta:
        ordering = ["series", "organisation_id", "year"]
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "organisation", "year"], condition=Q(organisation__isnull=False),
                name="one_counter_per_series_organisation_year",
                violation_error_message=_("This series already has a counter for this organisation and year."),
            ),
            models.UniqueConstraint(
                fields=["series", "year"], condition=Q(organisation__isnull=True),
                name="one_network_counter_per_series_year",
                violation_error_message=_("This series already has a network-wide counter for this year."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.series} {self.organisation_id or '*'} {self.year}: {self.last}"
