"""Twenty finance officers issuing their batches at the same moment on PostgreSQL: the invoices of one
organisation and year carry 1..n with no gap and no duplicate, and the batches that fail roll their numbers back
for the others. Skipped on SQLite (it serialises every write): run with DATABASE_URL=postgres://...

Each issuer is a real thread with its own connection and its own committed transaction; the data is removed at
the end from a connection of its own (the triggers that keep issued invoices are switched off for that session
only), so that the demo network the other tests read stays as it was."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from moulin.billing import services
from moulin.billing.models import Batch, BillingRefused, Invoice
from moulin.sequences.services import last_number
from moulin.territory.models import Commune
from tests.billing.conftest import VAT, add_contract, add_public_body
from tests.factories import OrganisationFactory
from tests.sequences.test_concurrency import in_own_connection, race

ISSUERS = 20
FAILING = {3, 8, 13, 18}

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent issuers race only on PostgreSQL (SQLite serialises every write): run with "
    "DATABASE_URL=postgres://...",
)


def test_twenty_batches_issued_at_once_get_gapless_numbers():
    today = timezone.localdate().replace(day=1)
    months = []
    first = today
    for _n in range(ISSUERS):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    on = datetime.date(today.year, today.month, 1)

    def prepare():
        with transaction.atomic():
            # an existing commune as its seat: a factory-made one (and its canton) would outlive the cleanup
            org = OrganisationFactory(vat_number=VAT, seat_commune=Commune.objects.order_by("pk").first())
            party = add_public_body("Syndicat de la course")
            contract = add_contract(org, party, month=months[-1])
            batches = [services.prepare_batch(actor=None, organisation=org, month=m) for m in months]
            broken = [batches[i].pk for i in FAILING]
            Invoice.objects.filter(batch__in=broken).update(buyer_peppol_id="", buyer_peppol_scheme="")
        return org, party, contract, batches

    org, party, contract, batches = in_own_connection(prepare)

    def cleanup():
        from moulin.core.models import AuditEvent
        from moulin.sequences.models import Counter

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # the keeping triggers, this session only
            invoices = list(Invoice.objects.filter(organisation=org).values_list("pk", flat=True))
            cursor.execute("DELETE FROM billing_invoiceline WHERE invoice_id = ANY(%s)", [invoices])
            cursor.execute("DELETE FROM billing_invoice WHERE id = ANY(%s)", [invoices])
            Batch.objects.filter(organisation=org).delete()
            AuditEvent.objects.filter(detail__organisation=org.pk).delete()
            AuditEvent.objects.filter(object_type="billing.batch", object_id__in=[str(b.pk) for b in batches]).delete()
            Counter.objects.filter(organisation_id=org.pk).delete()
            contract.delete()
            party.delete()
            org.delete()

    try:
        committed, failed = race(lambda i: services.issue_batch(batches[i], actor=None, on=on).pk)
        assert sorted(i for i, _exc in failed) == sorted(FAILING)
        assert all(isinstance(exc, BillingRefused) for _i, exc in failed)
        numbers = in_own_connection(
            lambda: sorted(
                Invoice.objects.filter(organisation=org).exclude(number="").values_list("sequence_number", flat=True)
            )
        )
        assert numbers == list(range(1, ISSUERS - len(FAILING) + 1))  # no gap, no duplicate
        assert in_own_connection(lambda: last_number(services.INVOICES, organisation_id=org.pk, year=on.year)) == 16
    finally:
        in_own_connection(cleanup)
