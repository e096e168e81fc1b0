"""The general-ledger import: a CSV exported from the accounting software becomes the actuals of the budget
lines. The columns are mapped once per organisation (kept in ``LedgerMapping``); a preview reads every row and
says what is wrong with each; the commit writes all rows in one transaction, or none.

The category of a booking comes from its account (Luxembourg's standard chart of accounts, PCN): 60 purchases
→ materials, 62 staff costs → staff, any other charge account (61, 63–65) → overheads. Rows of other classes
(assets, income) are not spending and are refused. The project column, when mapped, names the project by its
name; an empty project means the organisation's general budget."""

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from moulin.contracts.enums import BudgetCategory
from moulin.contracts.models import (
    BudgetLine,
    ContractsRefused,
    LedgerEntry,
    LedgerImport,
    LedgerMapping,
    is_closed,
)

#: what a mapping names: the field, its label, whether it is required
FIELDS = [
    ("date", gettext_lazy("Booking date"), True),
    ("account", gettext_lazy("Account"), True),
    ("amount", gettext_lazy("Amount"), True),
    ("description", gettext_lazy("Description"), False),
    ("project", gettext_lazy("Project"), False),
]
MAX_ROWS = 20000


def category_of(account: str) -> str | None:
    account = account.strip()
    if account.startswith("60"):
        return BudgetCategory.MATERIALS
    if account.startswith("62"):
        return BudgetCategory.STAFF
    if account.startswith("6"):
        return BudgetCategory.OVERHEADS
    return None


@dataclass
class Row:
    number: int
    values: dict
    booked_on: datetime.date | None = None
    account: str = ""
    amount: Decimal | None = None
    description: str = ""
    line: BudgetLine | None = None
    errors: list = field(default_factory=list)


@dataclass
class Preview:
    headers: list
    rows: list
    sha256: str
    file_name: str

    @property
    def errors(self) -> list:
        return [row for row in self.rows if row.errors]

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows if row.amount is not None and not row.errors), Decimal("0"))

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ContractsRefused({"file": _("The file is not text: export the general ledger as CSV.")})


def headers_of(content: bytes, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(decode(content)), delimiter=delimiter)
    try:
        return [h.strip() for h in next(reader)]
    except StopIteration:
        raise ContractsRefused({"file": _("The file is empty.")}) from None


def parse_amount(text: str, decimal_comma: bool) -> Decimal:
    text = text.strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return Decimal(text).quantize(Decimal("0.01"))


def preview(*, organisation, content: bytes, file_name: str, mapping: LedgerMapping) -> Preview:
    """Read every row and check it; writes nothing."""
    text = decode(content)
    reader = csv.DictReader(io.StringIO(text), delimiter=mapping.delimiter)
    headers = [h.strip() for h in (reader.fieldnames or [])]
    columns = mapping.columns
    missing = [str(label) for name, label, required in FIELDS if required and columns.get(name) not in headers]
    if missing:
        raise ContractsRefused(
            {"file": _("These columns are not in the file: %(names)s. Map the columns again.")
             % {"names": ", ".join(missing)}}
        )  # fmt: skip
    lines = {
        (line.budget.project.name.casefold() if line.budget.project_id else "", line.budget.year, line.category): line
        for line in BudgetLine.objects.filter(budget__organisation=organisation).select_related("budget__project")
    }
    rows, closed = [], {}
    for number, raw in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise ContractsRefused(
                {"file": _("The file has more than %(n)s rows: split it by period.") % {"n": MAX_ROWS}}
            )
        values = {k.strip() if k else "": (v or "").strip() for k, v in raw.items()}
        if not any(values.values()):
            continue
        row = Row(number=number, values=values)
        try:
            row.booked_on = datetime.datetime.strptime(values.get(columns["date"], ""), mapping.date_format).date()  # noqa: DTZ007
        except ValueError:
            row.errors.append(_("The date “%(v)s” does not read as %(f)s.") % {"v": values.get(columns["date"], ""),
                                                                           "f": mapping.date_format})  # fmt: skip
        row.account = values.get(columns["account"], "")
        category = category_of(row.account)
        if category is None:
            row.errors.append(_("Account “%(a)s” is not a charge account (class 6).") % {"a": row.account})
        try:
            row.amount = parse_amount(values.get(columns["amount"], ""), mapping.decimal_comma)
        except (InvalidOperation, ValueError):
            row.errors.append(_("The amount “%(v)s” is not a number.") % {"v": values.get(columns["amount"], "")})
        row.description = values.get(columns.get("description") or "", "")[:255]
        project = values.get(columns.get("project") or "", "")
        if row.booked_on and category:
            year = row.booked_on.year
            if year not in closed:
                closed[year] = is_closed(organisation.pk, year)
            if closed[year]:
                row.errors.append(_("The year %(y)s is closed: its actuals no longer change.") % {"y": year})
            else:
                row.line = lines.get((project.casefold(), year, category))
                if row.line is None:
                    where = project or _("the general budget")
                    row.errors.append(
                        _("No %(cat)s line in the %(year)s budget of %(where)s.")
                        % {"cat": BudgetCategory(category).label, "year": year, "where": where}
                    )
        rows.append(row)
    return Preview(headers=headers, rows=rows, sha256=hashlib.sha256(content).hexdigest(), file_name=file_name)


@transaction.atomic
def commit(*, organisation, content: bytes, file_name: str, mapping: LedgerMapping, actor) -> LedgerImport:
    """Check again, then write every row, or none: one row in error refuses the whole file."""
    from moulin.contracts.services import record_change

    result = preview(organisation=organisation, content=content, file_name=file_name, mapping=mapping)
    if not result.rows:
        raise ContractsRefused({"file": _("The file has no rows to import.")})
    if result.errors:
        raise ContractsRefused({"file": _("%(n)s rows have errors: correct them, nothing was imported.")
                                % {"n": len(result.errors)}})  # fmt: skip
    if LedgerImport.objects.filter(organisation=organisation, sha256=result.sha256).exists():
        raise ContractsRefused({"file": _("This file has already been imported.")})
    done = LedgerImport.objects.create(organisation=organisation, file_name=file_name[:200], sha256=result.sha256,
                                       rows=len(result.rows), total=result.total, imported_by=actor)  # fmt: skip
    LedgerEntry.objects.bulk_create(
        LedgerEntry(ledger_import=done, line=row.line, booked_on=row.booked_on, account=row.account[:20],
                    description=row.description, amount=row.amount, row=row.number)
        for row in result.rows
    )  # fmt: skip
    record_change(done, actor=actor, before=None)
    return done


@transaction.atomic
def save_mapping(*, organisation, columns: dict, delimiter: str, decimal_comma: bool, date_format: str, actor):
    mapping, _created = LedgerMapping.objects.update_or_create(
        organisation=organisation,
        defaults={"columns": columns, "delimiter": delimiter, "decimal_comma": decimal_comma,
                  "date_format": date_format},
    )  # fmt: skip
    return mapping
