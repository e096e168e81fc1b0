"""The funding mix: where an organisation's, a project's, a commune's or the network's money came from in a year,
as amounts and shares in the categories the network reported (state, communes, EU, fees, private, in kind).

It is read from the records, through the policies (``counted_for``): the **receipts** of the year (money in,
cancelled ones left out) by their source's kind, plus **volunteer time in kind**: the hours volunteers gave
(``organisations.VolunteerHours``) at the network's configured rate (``NetworkSettings.volunteer_hour_rate``) —
for an organisation or the network only, since volunteer hours name no project or commune. Beneficiary fees are
the receipts whose source is of the kind "beneficiary fees" (billing records the fees paid on its invoices as
such receipts). **Reinvestment** is what fee revenue paid for locally: the budget lines marked "financed by
beneficiary fees", with what the general ledger shows was spent on them."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from moulin.contracts.enums import MIX_CATEGORY_OF, MixCategory, SourceKind
from moulin.contracts.models import BudgetLine, Receipt

ZERO = Decimal("0")
CENT = Decimal("0.01")

#: a colour per category, for the chart (the same on every page)
COLOURS = {
    MixCategory.STATE: "#1f5f8b",
    MixCategory.COMMUNES: "#2e8b57",
    MixCategory.EU: "#f2b134",
    MixCategory.FEES: "#c8553d",
    MixCategory.PRIVATE: "#7d5ba6",
    MixCategory.IN_KIND: "#8c8c8c",
}


@dataclass
class Share:
    category: str
    label: str
    amount: Decimal
    share: Decimal  # percent, 1 decimal
    colour: str


@dataclass
class Mix:
    year: int
    amounts: dict = field(default_factory=dict)  # category -> Decimal
    by_source_kind: dict = field(default_factory=dict)  # source kind -> Decimal
    volunteer_hours: Decimal = ZERO
    hour_rate: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def shares(self) -> list[Share]:
        total = self.total
        out = []
        for category in MixCategory:
            amount = self.amounts.get(category, ZERO)
            share = (amount * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP) if total else ZERO
            out.append(Share(category.value, str(category.label), amount, share, COLOURS[category]))
        return out

    def share_of(self, category) -> Decimal:
        return next(s.share for s in self.shares if s.category == category)

    @property
    def fees(self) -> Decimal:
        return self.by_source_kind.get(SourceKind.FEES, ZERO)


def _receipts(user):
    return Receipt.objects.all() if user is None else Receipt.objects.counted_for(user)


def funding_mix(*, year: int, organisation=None, project=None, commune=None, user=None) -> Mix:
    """The mix of one year, for an organisation, a project, a commune, or (none given) the network. ``user``
    limits it to what that user may count (their policy's ``counted_for``); ``None`` reads every record (for
    reports made by the system)."""
    from moulin.core.models import NetworkSettings
    from moulin.organisations.models import VolunteerHours

    receipts = _receipts(user).valid().in_year(year)
    if organisation is not None:
        receipts = receipts.filter(organisation=organisation)
    if project is not None:
        receipts = receipts.filter(project=project)
    if commune is not None:
        receipts = receipts.filter(commune=commune)
    mix = Mix(year=year, amounts={c: ZERO for c in MixCategory})
    for row in receipts.values("source__kind").annotate(total=Sum("amount")).order_by():
        kind, total = row["source__kind"], row["total"] or ZERO
        mix.by_source_kind[kind] = mix.by_source_kind.get(kind, ZERO) + total
        mix.amounts[MIX_CATEGORY_OF[kind]] += total
    if project is None and commune is None:
        hours = VolunteerHours.objects.all() if user is None else VolunteerHours.objects.counted_for(user)
        hours = hours.filter(date__year=year)
        if organisation is not None:
            hours = hours.filter(organisation=organisation)
        mix.volunteer_hours = hours.aggregate(t=Sum("hours"))["t"] or ZERO
        mix.hour_rate = NetworkSettings.load().volunteer_hour_rate
        in_kind = (mix.volunteer_hours * mix.hour_rate).quantize(CENT, ROUND_HALF_UP)
        mix.amounts[MixCategory.IN_KIND] += in_kind
        mix.by_source_kind[SourceKind.IN_KIND] = mix.by_source_kind.get(SourceKind.IN_KIND, ZERO) + in_kind
    return mix


@dataclass
class Reinvestment:
    year: int
    fee_revenue: Decimal
    lines: list  # budget lines financed by fees, each with .actual_amount
    planned: Decimal
    spent: Decimal

    @property
    def not_yet_reinvested(self) -> Decimal:
        return self.fee_revenue - self.spent


def reinvestment(*, year: int, organisation, user=None) -> Reinvestment:
    """An organisation's fee revenue of a year and what it funded locally (budget lines financed by fees)."""
    receipts = _receipts(user).valid().in_year(year).filter(organisation=organisation, source__kind=SourceKind.FEES)
    fees = receipts.aggregate(t=Sum("amount"))["t"] or ZERO
    lines = BudgetLine.objects.all() if user is None else BudgetLine.objects.counted_for(user)
    lines = list(
        lines.filter(budget__organisation=organisation, budget__year=year, financed_by=SourceKind.FEES)
        .with_actuals()
        .select_related("budget__project")
        .order_by("budget__project__name", "category")
    )
    planned = sum((line.planned for line in lines), ZERO)
    spent = sum((line.actual_amount or ZERO for line in lines), ZERO)
    return Reinvestment(year=year, fee_revenue=fees, lines=lines, planned=planned, spent=spent)


def svg_bar(mix: Mix, *, width: int = 640, height: int = 28) -> list[dict]:
    """The segments of a horizontal stacked bar (server-rendered SVG, no script): x, width, colour, label."""
    total = mix.total
    x, out = 0.0, []
    for share in mix.shares:
        if not total or not share.amount:
            continue
        w = float(share.amount / total) * width
        out.append({"x": round(x, 2), "w": round(w, 2), "colour": share.colour, "label": share.label,
                    "share": share.share, "amount": share.amount})  # fmt: skip
        x += w
    return out
