"""Who reads and writes invoices.

- Organisation managers (and their finance staff) read and write their organisation's invoices, credit notes,
  payments and batches; board members read their organisation's.
- A commune officer reads the invoices sent to their commune (never a beneficiary's).
- Network staff (the network's finance) read and write them all.
- The ministry officer reads none of these (the funding mix is its view of the money).

Invoices to beneficiaries name a person: the family is personal, every read is audited.
"""

from django.db.models import Q

from moulin.access.policy import OrganisationOwnedPolicy
from moulin.access.roles import Role

WRITERS = frozenset({Role.ORG_MANAGER})
READERS = WRITERS | {Role.BOARD_MEMBER}


class BatchPolicy(OrganisationOwnedPolicy):
    read_roles = READERS
    write_roles = WRITERS

    def can_list(self, scope):
        return super().can_list(scope) and not scope.aggregate_only and self._reads_money(scope)

    def _reads_money(self, scope) -> bool:
        return scope.network_wide or bool(scope.org_ids(*self.read_roles))

    def rows(self, qs, scope):
        if scope.aggregate_only:
            return qs.none()
        ids = scope.org_ids(*self.read_roles)
        return qs.filter(self.organisation_q(ids)) if ids else qs.none()


class InvoicePolicy(OrganisationOwnedPolicy):
    personal = True
    read_roles = READERS
    write_roles = WRITERS
    #: the path from a row to the commune it bills (a commune's invoices, never a beneficiary's)
    commune_path = "commune"
    #: the path from a row to its invoice ("" for the invoice itself)
    invoice_path = ""

    def _path(self, name: str) -> str:
        return f"{self.invoice_path}__{name}" if self.invoice_path else name

    def organisation_q(self, ids) -> Q:
        return Q(**{f"{self._path('organisation')}__in": ids})

    def organisation_id_of(self, obj):
        invoice = obj
        for part in filter(None, self.invoice_path.split("__")):
            invoice = getattr(invoice, part)
        return invoice.organisation_id

    def rows(self, qs, scope):
        if scope.aggregate_only:
            return qs.none()
        q = Q(pk__in=[])
        ids = scope.org_ids(*self.read_roles)
        if ids:
            q |= self.organisation_q(ids)
        if scope.commune_ids:
            q |= Q(**{f"{self._path('commune')}__in": scope.commune_ids, f"{self._path('beneficiary')}__isnull": True})
        return qs.filter(q)

    def _reaches_persons(self, scope):
        return scope.network_wide or bool(scope.org_ids(*self.read_roles)) or bool(scope.commune_ids)

    def can_list(self, scope):
        return super().can_list(scope) and not scope.aggregate_only

    def may_query(self, scope, path: str) -> bool:
        """A commune officer never searches, filters or sorts on a beneficiary."""
        if "beneficiary" in path:
            return scope.network_wide or bool(scope.org_ids(*self.read_roles))
        return True

    def can_add(self, scope, *, under=None):
        if under is not None and under._meta.model_name == "invoice":
            return self._staff_writes(scope) or under.organisation_id in scope.org_ids(*self.write_roles)
        return super().can_add(scope, under=under)


class InvoiceLinePolicy(InvoicePolicy):
    invoice_path = "invoice"


class CreditNotePolicy(InvoicePolicy):
    invoice_path = "invoice"


class PaymentPolicy(InvoicePolicy):
    invoice_path = "invoice"


class ReminderPolicy(InvoicePolicy):
    invoice_path = "invoice"
