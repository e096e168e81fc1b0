"""Who reads and writes invoices (the money side's rules, ``moulin.contracts.policies.MoneyPolicy``).

- Organisation managers and their finance officers read and write their organisation's invoices, credit notes,
  payments and batches; board members read their organisation's.
- A commune officer reads the invoices sent to their commune (never a beneficiary's).
- Network staff and the network's finance staff (a finance officer without an organisation) read and write all.
- The ministry officer reads none of these (the funding mix is its view of the money).

Invoices to beneficiaries name a person: the family is personal, every read is audited.
"""

from django.db.models import Q

from moulin.contracts.policies import MONEY_READERS, MONEY_WRITERS, MoneyPolicy


class BatchPolicy(MoneyPolicy):
    """A batch holds beneficiaries' invoices: the organisation's money people, its board, the network's."""

    def rows(self, qs, scope):
        if scope.network_finance:
            return qs
        ids = scope.org_ids(*self.read_roles)
        return qs.filter(self.organisation_q(ids)) if ids else qs.none()

    def can_list(self, scope):
        if not scope.authenticated or scope.aggregate_only:
            return False
        return scope.network_wide or scope.network_finance or bool(scope.org_ids(*self.read_roles))


class InvoicePolicy(MoneyPolicy):
    personal = True
    read_roles = MONEY_READERS
    write_roles = MONEY_WRITERS
    #: the path from a row to its invoice ("" for the invoice itself)
    invoice_path = ""

    def _path(self, name: str) -> str:
        return f"{self.invoice_path}__{name}" if self.invoice_path else name

    @property
    def organisation_path(self):
        return self._path("organisation")

    def rows(self, qs, scope):
        if scope.aggregate_only:
            return qs.none()
        if scope.network_finance:
            return qs
        q = Q(pk__in=[])
        ids = scope.org_ids(*self.read_roles)
        if ids:
            q |= self.organisation_q(ids)
        if scope.commune_ids:
            q |= Q(**{f"{self._path('commune')}__in": scope.commune_ids, f"{self._path('beneficiary')}__isnull": True})
        return qs.filter(q)

    def _reaches_persons(self, scope):
        return (scope.network_wide or scope.network_finance or bool(scope.org_ids(*self.read_roles))
                or bool(scope.commune_ids))  # fmt: skip

    def can_list(self, scope):
        return super().can_list(scope) or (
            scope.authenticated and not scope.aggregate_only and bool(scope.commune_ids)
        )

    def may_query(self, scope, path: str) -> bool:
        """A commune officer never searches, filters or sorts on a beneficiary."""
        if "beneficiary" in path:
            return scope.network_wide or scope.network_finance or bool(scope.org_ids(*self.read_roles))
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
