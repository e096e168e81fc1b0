"""Commune agreements carried by commune contracts (decision 0008).

Coverage (``moulin/organisations/coverage.py``) counts the communes with a current ``organisations.Agreement``.
Since contracts exist, an agreement is no longer written by hand: each commune contract *carries* one, and the
contract services keep it current — the agreement runs from the contract's start to its end while the contract
is in force, and ends on the day a contract is terminated. So coverage is derived from the commune contracts in
force, and the organisations layer, which cannot import this one, keeps reading its own model.

``carry_agreements`` is also the data migration (``0002_agreements_to_contracts``) that gave every agreement that
existed before contracts its commune contract, without losing a record; it works with the historical models of
a migration as well as with the real ones, and leaves an agreement already carried alone (it can run again).
"""

import datetime

COMMUNE = "commune"
IN_FORCE, EXPIRED = "in_force", "expired"
LUMP_SUM, YEARLY = "lump_sum", "yearly"


def counterparty_name(commune_name: str) -> str:
    return f"Administration communale de {commune_name}"


def commune_counterparty(Counterparty, commune):  # noqa: N803  (a model class, historical or real)
    """The counterparty that is this commune, created the first time it is needed."""
    found = Counterparty.objects.filter(commune_id=commune.pk).first()
    if found is not None:
        return found
    name = counterparty_name(commune.name)
    if Counterparty.objects.filter(name=name).exists():
        name = f"{name} ({commune.pk})"
    return Counterparty.objects.create(name=name, kind=COMMUNE, commune_id=commune.pk, country="LU")


def carry_agreements(apps, schema_editor=None, *, today: datetime.date | None = None) -> int:
    """Give every agreement not yet carried by a contract its commune contract: in force while the agreement is
    current, expired once it has ended. Returns how many contracts were made."""
    from django.utils import timezone

    Agreement = apps.get_model("organisations", "Agreement")  # noqa: N806
    Contract = apps.get_model("contracts", "Contract")  # noqa: N806
    Counterparty = apps.get_model("contracts", "Counterparty")  # noqa: N806
    today = today or timezone.localdate()
    carried = Contract.objects.filter(agreement__isnull=False).values("agreement")
    made = 0
    pending = Agreement.objects.exclude(pk__in=carried).select_related("commune", "organisation").order_by("pk")
    for agreement in pending:
        counterparty = commune_counterparty(Counterparty, agreement.commune)
        ended = agreement.end is not None and agreement.end < today
        note = f"Carried over from the commune agreement #{agreement.pk} when contracts were introduced."
        Contract.objects.create(
            reference=(agreement.reference or "")[:60],
            title=f"Convention {agreement.organisation.short_name or agreement.organisation.name} — "
            f"{agreement.commune.name}"[:200],
            organisation_id=agreement.organisation_id,
            counterparty=counterparty,
            start=agreement.start,
            end=agreement.end,
            billing_rule=LUMP_SUM,
            billing_schedule=YEARLY,
            status=EXPIRED if ended else IN_FORCE,
            status_changed_on=agreement.end if ended else agreement.start,
            agreement_id=agreement.pk,
            notes="\n\n".join(part for part in (agreement.notes, note) if part),
        )
        made += 1
    return made


def uncarry_agreements(apps, schema_editor=None) -> None:
    """Reverse of the migration: the contracts made from agreements go, the agreements stay."""
    Contract = apps.get_model("contracts", "Contract")  # noqa: N806
    Contract.objects.filter(notes__contains="Carried over from the commune agreement #").delete()
