"""Demo step of the money side: a counterparty for every commune under agreement and for the ministry; the commune
contracts carrying every agreement (some ending within 90 days, some renewals awaiting a signature), a yearly
contract of each member organisation with the ministry, a few private-service contracts; the funding sources,
funding agreements (the ministry's each year, ESF+ for three projects with their reporting dates), the receipts
of last year and this year, the budgets of both years with their actuals as imported ledger entries, and last
year closed for half the organisations. Everything through bulk_create."""

import datetime
import hashlib
from decimal import Decimal

from moulin.contracts.agreements import counterparty_name
from moulin.contracts.enums import (
    BillingRule,
    BillingSchedule,
    BudgetCategory,
    ContractStatus,
    CounterpartyKind,
    PeppolScheme,
    SourceKind,
)
from moulin.contracts.models import (
    Budget,
    BudgetLine,
    ClosedYear,
    Contract,
    Counterparty,
    FundingAgreement,
    FundingSource,
    LedgerEntry,
    LedgerImport,
    LedgerMapping,
    Receipt,
    ReportingDate,
)
from moulin.organisations.models import Agreement
from moulin.projects.models import Project

MINISTRY = "Ministère du Travail, de l'Emploi et de l'Économie sociale et solidaire"
MAYORS = ["Georges Mischo", "Lydie Polfer", "Roberto Traversini", "Christiane Brassel-Rausch", "Jean-Paul Schaaf",
          "Michel Wolter", "Tom Jungen", "Claudine Konsbruck", "Marc Lies", "Jeff Feller"]  # fmt: skip
SECRETARIES = ["Laurent Kieffer", "Sonja Becker", "Pascal Reding", "Myriam Hoffmann", "Yves Schroeder"]
CENT = Decimal("0.01")


def _amount(rng, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high, 500))


def generate(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    this_year, last_year = today.year, today.year - 1
    orgs = [o for o in ctx.store["organisations"] if o.level]

    # --- counterparties: every commune under agreement, the ministry, two private clients
    agreements = list(Agreement.objects.select_related("commune", "organisation").order_by("pk"))
    communes = {a.commune_id: a.commune for a in agreements}
    parties = [
        Counterparty(name=counterparty_name(c.name), kind=CounterpartyKind.COMMUNE, commune=c,
                     address=f"Place de l'Hôtel de Ville, {c.name}", postcode=f"L-{rng.randint(1000, 9999)}",
                     locality=c.name, peppol_scheme=PeppolScheme.LU_RPM, peppol_id=f"9{c.code:0>9}"[:10],
                     email=f"recette@{c.code}.lu")
        for c in sorted(communes.values(), key=lambda c: c.name)
    ]  # fmt: skip
    parties.append(Counterparty(name=MINISTRY, kind=CounterpartyKind.MINISTRY, address="26, rue Sainte-Zithe",
                                postcode="L-2763", locality="Luxembourg", vat_number="", peppol_scheme=PeppolScheme.LU_RPM,  # noqa: E501
                                peppol_id="9000000001", email="factures@mte.etat.lu"))  # fmt: skip
    parties.append(
        Counterparty(
            name="Résidence Les Peupliers",
            kind=CounterpartyKind.PRIVATE,
            address="4, rue des Peupliers",
            postcode="L-4123",
            locality="Esch-sur-Alzette",
        )
    )
    parties.append(
        Counterparty(
            name="Fondation Bâtiment Solidaire",
            kind=CounterpartyKind.PRIVATE,
            address="12, avenue de la Gare",
            postcode="L-1610",
            locality="Luxembourg",
        )
    )
    Counterparty.objects.bulk_create(parties)
    by_commune = {p.commune_id: p for p in Counterparty.objects.filter(kind=CounterpartyKind.COMMUNE)}
    ministry = Counterparty.objects.get(name=MINISTRY)
    privates = list(Counterparty.objects.filter(kind=CounterpartyKind.PRIVATE).order_by("name"))

    # a few current open-ended agreements end within 90 days: their contracts come up for renewal
    current = [a for a in agreements if a.is_current(today) and a.end is None]
    ending = rng.sample(current, min(6, len(current)))
    for i, a in enumerate(ending):
        a.end = today + datetime.timedelta(days=20 + 12 * i)
    Agreement.objects.bulk_update(ending, ["end"])

    def signed(contract, start):
        day = min(start - datetime.timedelta(days=rng.randint(5, 40)), today)
        contract.political_signatory, contract.political_signed_on = rng.choice(MAYORS), day
        contract.administrative_signatory = rng.choice(SECRETARIES)
        contract.administrative_signed_on = day + datetime.timedelta(days=rng.randint(0, 4))
        if contract.administrative_signed_on > today:
            contract.administrative_signed_on = today

    contracts = []
    for a in agreements:
        ended = a.end is not None and a.end < today
        rule = rng.choice(
            [BillingRule.LUMP_SUM, BillingRule.LUMP_SUM, BillingRule.PER_HOUR, BillingRule.PER_INTERVENTION]
        )
        c = Contract(
            reference=a.reference, title=f"Convention {a.organisation.display_name} — {a.commune.name}",
            organisation=a.organisation, counterparty=by_commune[a.commune_id], start=a.start, end=a.end,
            annual_amount=_amount(rng, 15000, 90000) if rule == BillingRule.LUMP_SUM else None,
            billing_rule=rule, billing_schedule=BillingSchedule.QUARTERLY if rule == BillingRule.LUMP_SUM else "",
            rate={BillingRule.PER_HOUR: Decimal("38.50"), BillingRule.PER_INTERVENTION: Decimal("120.00")}.get(rule),
            deliverables="Entretien des espaces verts et des sentiers; rapport d'activité annuel.",
            status=ContractStatus.EXPIRED if ended else ContractStatus.IN_FORCE,
            status_changed_on=a.end if ended else a.start, agreement=a, notes=a.notes,
        )  # fmt: skip
        signed(c, a.start)
        contracts.append(c)
    # renewals of the contracts ending soon: drafts awaiting their signatures (one signed politically only)
    for i, a in enumerate(ending):
        c = Contract(
            reference=f"{a.reference}-R"[:60], title=f"Convention {a.organisation.display_name} — {a.commune.name} (renewal)",  # noqa: E501
            organisation=a.organisation, counterparty=by_commune[a.commune_id],
            start=a.end + datetime.timedelta(days=1), end=datetime.date(a.end.year + 3, 12, 31),
            annual_amount=_amount(rng, 20000, 90000), billing_rule=BillingRule.LUMP_SUM,
            billing_schedule=BillingSchedule.QUARTERLY, status=ContractStatus.AWAITING_SIGNATURES,
            status_changed_on=today - datetime.timedelta(days=rng.randint(1, 20)),
        )  # fmt: skip
        if i % 2 == 0:
            c.political_signatory, c.political_signed_on = rng.choice(MAYORS), today - datetime.timedelta(days=3)
        contracts.append(c)
    # the ministry's yearly contract with every member organisation (next year's awaiting signatures for some)
    for i, org in enumerate(orgs):
        c = Contract(
            reference=f"MTE-{this_year}-{org.legal_number}", title=f"Convention annuelle {this_year} — {org.display_name}",  # noqa: E501
            organisation=org, counterparty=ministry, start=datetime.date(this_year, 1, 1),
            end=datetime.date(this_year, 12, 31), annual_amount=_amount(rng, 250000, 900000),
            billing_rule=BillingRule.LUMP_SUM, billing_schedule=BillingSchedule.QUARTERLY,
            deliverables="Mise au travail et encadrement de demandeurs d'emploi; rapports trimestriels.",
            status=ContractStatus.IN_FORCE, status_changed_on=datetime.date(this_year, 1, 1),
        )  # fmt: skip
        signed(c, c.start)
        contracts.append(c)
        if i % 3 == 0:
            contracts.append(Contract(
                reference=f"MTE-{this_year + 1}-{org.legal_number}",
                title=f"Convention annuelle {this_year + 1} — {org.display_name}", organisation=org,
                counterparty=ministry, start=datetime.date(this_year + 1, 1, 1),
                end=datetime.date(this_year + 1, 12, 31), annual_amount=c.annual_amount,
                billing_rule=BillingRule.LUMP_SUM, billing_schedule=BillingSchedule.QUARTERLY,
                status=ContractStatus.AWAITING_SIGNATURES, status_changed_on=today,
            ))  # fmt: skip
    for i, party in enumerate(privates):
        org = orgs[i]
        contracts.append(Contract(
            title=f"Entretien — {party.name}", organisation=org, counterparty=party,
            start=datetime.date(last_year, 3, 1), end=None, billing_rule=BillingRule.PER_INTERVENTION,
            rate=Decimal("95.00"), status=ContractStatus.IN_FORCE, status_changed_on=datetime.date(last_year, 3, 1),
        ))  # fmt: skip
    Contract.objects.bulk_create(contracts)

    # --- funding sources and agreements
    sources = {
        SourceKind.MINISTRY: FundingSource(name="Ministère du Travail — conventions", kind=SourceKind.MINISTRY,
                                           counterparty=ministry),
        SourceKind.COMMUNES: FundingSource(name="Participations communales", kind=SourceKind.COMMUNES),
        SourceKind.ESF_PLUS: FundingSource(name="FSE+ Luxembourg 2021–2027", kind=SourceKind.ESF_PLUS),
        SourceKind.EU_OTHER: FundingSource(name="Interreg Grande Région", kind=SourceKind.EU_OTHER),
        SourceKind.FEES: FundingSource(name="Participations des bénéficiaires", kind=SourceKind.FEES),
        SourceKind.PRIVATE_CONTRACTS: FundingSource(name="Contrats de services privés",
                                                    kind=SourceKind.PRIVATE_CONTRACTS),
        SourceKind.DONATIONS: FundingSource(name="Dons", kind=SourceKind.DONATIONS),
    }  # fmt: skip
    FundingSource.objects.bulk_create(sources.values())
    sources = {s.kind: s for s in FundingSource.objects.all()}
    projects_by_org = {}
    for p in Project.objects.order_by("pk").only("pk", "organisation_id", "name"):
        projects_by_org.setdefault(p.organisation_id, []).append(p)

    funding, funding_projects = [], []
    ministry_amounts = {c.organisation_id: c.annual_amount for c in contracts if c.counterparty_id == ministry.pk
                        and c.start.year == this_year}  # fmt: skip
    for org in orgs:
        for year in (last_year, this_year):
            funding.append(FundingAgreement(
                reference=f"MTE-{year}-{org.legal_number}", title=f"Financement {year} — {org.display_name}",
                source=sources[SourceKind.MINISTRY], organisation=org, start=datetime.date(year, 1, 1),
                end=datetime.date(year, 12, 31), amount_awarded=ministry_amounts[org.pk],
            ))  # fmt: skip
    esf_orgs = [o for o in orgs if projects_by_org.get(o.pk)][:3]
    for i, org in enumerate(esf_orgs):
        eligible = _amount(rng, 300000, 600000)
        funding.append(FundingAgreement(
            reference=f"FSE-2023-{i + 1:03d}", title=f"FSE+ — {projects_by_org[org.pk][0].name}",
            source=sources[SourceKind.ESF_PLUS], organisation=org, start=datetime.date(last_year, 1, 1),
            end=datetime.date(this_year + 1, 12, 31), eligible_costs=eligible, co_financing_rate=Decimal("40.00"),
            amount_awarded=(eligible * Decimal("0.40")).quantize(CENT),
        ))  # fmt: skip
    FundingAgreement.objects.bulk_create(funding)
    esf = list(FundingAgreement.objects.filter(source=sources[SourceKind.ESF_PLUS]).order_by("pk"))
    Through = FundingAgreement.projects.through  # noqa: N806
    for agreement, org in zip(esf, esf_orgs, strict=True):
        funding_projects.append(Through(fundingagreement_id=agreement.pk, project_id=projects_by_org[org.pk][0].pk))
    Through.objects.bulk_create(funding_projects)
    ReportingDate.objects.bulk_create(
        ReportingDate(agreement=a, label=label, due_on=due, submitted_on=due if due < today else None)
        for a in esf
        for label, due in (("Interim report", datetime.date(last_year + 1, 3, 31)),
                           ("Interim report", datetime.date(this_year + 1, 3, 31)),
                           ("Final report", datetime.date(this_year + 2, 6, 30)))
    )  # fmt: skip

    # --- receipts: the ministry quarterly, the communes quarterly, ESF+ twice a year, fees monthly, donations
    by_key = {(a.organisation_id, a.start.year, a.source_id): a for a in FundingAgreement.objects.all()}
    receipts = []

    def receive(org, source, day, amount, **kw):
        if day <= today and amount > 0:
            receipts.append(
                Receipt(organisation=org, source=source, received_on=day, amount=amount.quantize(CENT), **kw)
            )

    for org in orgs:
        org_projects = projects_by_org.get(org.pk, [])
        for year in (last_year, this_year):
            agreement = by_key[(org.pk, year, sources[SourceKind.MINISTRY].pk)]
            for q in range(4):
                receive(org, sources[SourceKind.MINISTRY], datetime.date(year, 3 * q + 1, 15),
                        agreement.amount_awarded / 4, agreement=agreement,
                        project=org_projects[q % len(org_projects)] if org_projects else None,
                        reference=f"MTE {year} T{q + 1}")  # fmt: skip
            for month in range(1, 13):
                receive(
                    org,
                    sources[SourceKind.FEES],
                    datetime.date(year, month, 28),
                    Decimal(rng.randrange(400, 2500)),
                    reference=f"Participations {month:02d}/{year}",
                )
            if rng.random() < 0.5:
                receive(org, sources[SourceKind.DONATIONS], datetime.date(year, 12, 10), Decimal(rng.randrange(500, 5000, 100)),  # noqa: E501
                        reference="Don de fin d'année")  # fmt: skip
    for c in contracts:
        if c.counterparty.kind != CounterpartyKind.COMMUNE or c.status not in (ContractStatus.IN_FORCE,):
            continue
        yearly = c.annual_amount or Decimal(rng.randrange(12000, 40000, 500))
        for year in (last_year, this_year):
            if c.start.year > year:
                continue
            for q in range(4):
                receive(
                    c.organisation,
                    sources[SourceKind.COMMUNES],
                    datetime.date(year, 3 * q + 2, 10),
                    yearly / 4,
                    contract=c,
                    commune_id=c.counterparty.commune_id,
                    reference=f"{c.reference} T{q + 1}",
                )
    for a, org in zip(esf, esf_orgs, strict=True):
        for year in (last_year, this_year):
            for month in (6, 12):
                receive(
                    org,
                    sources[SourceKind.ESF_PLUS],
                    datetime.date(year, month, 20),
                    a.amount_awarded / 6,
                    agreement=a,
                    project=projects_by_org[org.pk][0],
                    reference=f"{a.reference} {month}/{year}",
                )
    for c in contracts:
        if c.counterparty.kind == CounterpartyKind.PRIVATE:
            for month in range(3, 13, 3):
                receive(
                    c.organisation,
                    sources[SourceKind.PRIVATE_CONTRACTS],
                    datetime.date(this_year, month, 5),
                    Decimal("95.00") * rng.randint(3, 12),
                    contract=c,
                )
    Receipt.objects.bulk_create(receipts)

    # --- budgets of both years, lines per category, actuals as one ledger import a year, last year closed for half
    budgets = []
    for org in orgs:
        for year in (last_year, this_year):
            budgets.append(Budget(organisation=org, year=year))
            for p in projects_by_org.get(org.pk, [])[:2]:
                budgets.append(Budget(organisation=org, project=p, year=year))
    Budget.objects.bulk_create(budgets)
    lines = []
    for b in Budget.objects.order_by("pk"):
        scale = Decimal(rng.randint(60, 140)) / 100
        for category, base in ((BudgetCategory.STAFF, 180000), (BudgetCategory.MATERIALS, 25000),
                               (BudgetCategory.OVERHEADS, 30000)):  # fmt: skip
            financed = SourceKind.FEES if (category == BudgetCategory.MATERIALS and b.project_id) else ""
            lines.append(BudgetLine(budget=b, category=category, planned=(base * scale).quantize(Decimal("100")),
                                    financed_by=financed))  # fmt: skip
    BudgetLine.objects.bulk_create(lines)
    lines = list(BudgetLine.objects.select_related("budget").order_by("pk"))
    imports = {}
    for org in orgs:
        for year in (last_year, this_year):
            key = f"demo-{org.pk}-{year}"
            imports[(org.pk, year)] = LedgerImport(organisation=org, file_name=f"grand-livre-{year}.csv",
                                                   sha256=hashlib.sha256(key.encode()).hexdigest())  # fmt: skip
    LedgerImport.objects.bulk_create(imports.values())
    imports = {(i.organisation_id, int(i.file_name[12:16])): i for i in LedgerImport.objects.all()}
    accounts = {BudgetCategory.STAFF: "621100", BudgetCategory.MATERIALS: "606100", BudgetCategory.OVERHEADS: "613200"}
    entries, row = [], {}
    for line in lines:
        year = line.budget.year
        months = 12 if year < this_year else max(today.month - 1, 0)
        ledger = imports[(line.budget.organisation_id, year)]
        for month in range(1, months + 1):
            share = line.planned / 12 * Decimal(rng.randint(85, 115)) / 100
            row[ledger.pk] = row.get(ledger.pk, 1) + 1
            entries.append(LedgerEntry(ledger_import=ledger, line=line, booked_on=datetime.date(year, month, 25),
                                       account=accounts[line.category], description=f"{line.get_category_display()} "
                                       f"{month:02d}/{year}", amount=share.quantize(CENT), row=row[ledger.pk]))  # fmt: skip  # noqa: E501
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    totals = {}
    for e in entries:
        totals[e.ledger_import_id] = totals.get(e.ledger_import_id, Decimal("0")) + e.amount
    for ledger in imports.values():
        ledger.rows, ledger.total = row.get(ledger.pk, 1) - 1, totals.get(ledger.pk, Decimal("0"))
    LedgerImport.objects.bulk_update(imports.values(), ["rows", "total"])
    home = ctx.store["organisation_by_name"]["CIGL Esch-sur-Alzette"]
    ClosedYear.objects.bulk_create(ClosedYear(organisation=o, year=last_year) for o in orgs[1::2] if o.pk != home.pk)
    LedgerMapping.objects.create(organisation=home, columns={"date": "Date", "account": "Compte", "amount": "Montant",
                                                             "description": "Libellé", "project": "Projet"})  # fmt: skip  # noqa: E501
