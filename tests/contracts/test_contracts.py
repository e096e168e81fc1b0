import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from moulin.contracts.agreements import carry_agreements
from moulin.contracts.enums import ContractStatus, CounterpartyKind, MixCategory, SourceKind
from moulin.contracts.ledger import commit, preview
from moulin.contracts.mix import funding_mix
from moulin.contracts.models import (
    Budget,
    BudgetLine,
    ClosedYear,
    Contract,
    Counterparty,
    FundingAgreement,
    LedgerMapping,
    Receipt,
)
from moulin.contracts.services import transition_contract
from moulin.core.models import AuditEvent, NetworkSettings
from moulin.organisations.coverage import coverage_figure
from moulin.organisations.models import Agreement, VolunteerHours
from tests.picking import pick


def _commune_without_counterparty():
    from moulin.territory.models import Commune

    return pick(
        Commune.objects.filter(counterparty__isnull=True, agreements__isnull=True), "commune without a contract"
    )


# --- the data migration -----------------------------------------------------------------------------------------


def test_every_demo_agreement_is_carried_by_a_commune_contract():
    carried = set(Contract.objects.filter(agreement__isnull=False).values_list("agreement", flat=True))
    assert carried == set(Agreement.objects.values_list("pk", flat=True))


def test_the_migration_carries_every_agreement_without_losing_one_and_keeps_coverage(home_org):
    today = timezone.localdate()
    commune = _commune_without_counterparty()
    before = coverage_figure()
    current = Agreement.objects.create(organisation=home_org, commune=commune, start=datetime.date(2010, 1, 1),
                                       reference="OLD-1", notes="signed at the town hall")  # fmt: skip
    ended = Agreement.objects.create(organisation=home_org, commune=commune, start=datetime.date(2001, 1, 1),
                                     end=datetime.date(2005, 12, 31), reference="OLD-0")  # fmt: skip
    agreements = Agreement.objects.count()
    assert carry_agreements(apps) == 2
    assert Agreement.objects.count() == agreements  # none lost, none changed
    c1, c0 = Contract.objects.get(agreement=current), Contract.objects.get(agreement=ended)
    assert c1.status == ContractStatus.IN_FORCE and c1.is_in_force(today) and c1.reference == "OLD-1"
    assert "signed at the town hall" in c1.notes
    assert c0.status == ContractStatus.EXPIRED and c0.end == datetime.date(2005, 12, 31)
    assert c1.counterparty == c0.counterparty and c1.counterparty.commune == commune
    assert c1.counterparty.kind == CounterpartyKind.COMMUNE
    assert coverage_figure().covered == before.covered + 1
    assert carry_agreements(apps) == 0  # runs again without doubling


# --- contracts: workflow, signatures, agreements ----------------------------------------------------------------


def _draft(org, commune=None, **kw):
    commune = commune or _commune_without_counterparty()
    party = Counterparty.objects.create(name=f"Commune test {commune.pk}", kind=CounterpartyKind.COMMUNE,
                                        commune=commune)  # fmt: skip
    fields = dict(title="Test", organisation=org, counterparty=party, start=timezone.localdate(),
                  end=timezone.localdate() + datetime.timedelta(days=365), annual_amount=Decimal("1000"),
                  billing_rule="lump_sum", billing_schedule="yearly")  # fmt: skip
    fields.update(kw)
    return Contract.objects.create(**fields)


def test_a_public_body_contract_enters_force_only_with_both_signatures(home_org, demo_user):
    staff = demo_user("staff")
    contract = _draft(home_org)
    with pytest.raises(ValidationError) as refused:
        transition_contract(contract, "enter_force", actor=staff)
    assert "both signatures" in " ".join(refused.value.messages)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT and contract.agreement_id is None
    day = timezone.localdate()
    Contract.objects.filter(pk=contract.pk).update(political_signatory="Mayor", political_signed_on=day)
    contract.refresh_from_db()
    with pytest.raises(ValidationError):
        transition_contract(contract, "enter_force", actor=staff)
    Contract.objects.filter(pk=contract.pk).update(administrative_signatory="Secretary", administrative_signed_on=day)
    contract.refresh_from_db()
    before = coverage_figure().covered
    contract = transition_contract(contract, "enter_force", actor=staff)
    assert contract.status == ContractStatus.IN_FORCE
    assert contract.agreement is not None and contract.agreement.end == contract.end
    assert coverage_figure().covered == before + 1  # coverage follows the contract in force
    contract = transition_contract(contract, "terminate", actor=staff, terminated_on=day,
                                   termination_reason="Commune merged")  # fmt: skip
    contract.agreement.refresh_from_db()
    assert contract.agreement.end == day
    event = AuditEvent.objects.filter(object_type="contracts.contract", object_id=str(contract.pk)).first()
    assert event.detail["money"] and event.detail["before"]["status"] == "in_force"
    assert event.detail["after"]["status"] == "terminated" and event.actor == staff


def test_overlapping_contract_for_the_same_counterparty_and_project_is_refused(client_as, home_org):
    project = pick(home_org.projects.all(), "project of the home organisation")
    first = _draft(home_org)
    first.projects.set([project])
    client = client_as("manager")
    data = {
        "title": "Second",
        "organisation": home_org.pk,
        "counterparty": first.counterparty_id,
        "projects": [project.pk],
        "start": (first.start + datetime.timedelta(days=30)).isoformat(),
        "end": (first.end + datetime.timedelta(days=30)).isoformat(),
        "billing_rule": "per_hour",
        "rate": "30",
    }
    count = Contract.objects.count()
    response = client.post(reverse("contracts:create"), data)
    assert response.status_code == 422
    assert "already binds this counterparty" in response.content.decode()
    assert Contract.objects.count() == count
    data["start"] = (first.end + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("contracts:create"), data)
    assert response.status_code == 302 and Contract.objects.count() == count + 1


def test_a_lump_sum_contract_needs_its_amount(client_as, home_org):
    party = pick(Counterparty.objects.filter(kind=CounterpartyKind.MINISTRY))
    response = client_as("finance").post(reverse("contracts:create"), {
        "title": "No amount", "organisation": home_org.pk, "counterparty": party.pk, "start": "2026-01-01",
        "billing_rule": "lump_sum", "billing_schedule": "yearly"})  # fmt: skip
    assert response.status_code == 422 and "annual amount" in response.content.decode()


# --- budgets ----------------------------------------------------------------------------------------------------


def test_a_budget_line_in_a_closed_year_is_refused(client_as):
    closed = pick(ClosedYear.objects.all(), "closed year")
    budget = pick(Budget.objects.filter(organisation=closed.organisation, year=closed.year))
    lines = BudgetLine.objects.count()
    response = client_as("staff").post(
        reverse("contracts:budget_line_create", args=[budget.pk]), {"category": "staff", "planned": "100"}
    )
    assert response.status_code == 422 and "is closed" in response.content.decode()
    line = pick(budget.lines.all())
    response = client_as("staff").post(
        reverse("contracts:budget_line_update", args=[line.pk]), {"category": line.category, "planned": "1"}
    )
    assert response.status_code == 422
    assert BudgetLine.objects.count() == lines and BudgetLine.objects.get(pk=line.pk).planned == line.planned


# --- the ledger import ------------------------------------------------------------------------------------------


def _csv(rows):
    return ("Date;Compte;Libellé;Montant;Projet\n" + "\n".join(rows) + "\n").encode()


def test_the_ledger_preview_shows_each_rows_error_and_the_commit_is_all_or_nothing(home_org, demo_user):
    year = timezone.localdate().year
    mapping = LedgerMapping.objects.get(organisation=home_org)
    line = pick(BudgetLine.objects.filter(budget__organisation=home_org, budget__year=year, budget__project=None,
                                          category="materials"))  # fmt: skip
    good = f"15/03/{year};606100;Paint;1.234,50;"
    bad = [f"31/02/{year};606100;Bad date;10,00;", f"15/03/{year};706000;Income;10,00;", f"15/03/{year};621000;x;abc;",
           f"15/03/{year};606100;Nowhere;5,00;No such project"]  # fmt: skip
    result = preview(organisation=home_org, content=_csv([good, *bad]), file_name="gl.csv", mapping=mapping)
    assert [r.number for r in result.errors] == [3, 4, 5, 6]
    assert result.rows[0].line == line and result.rows[0].amount == Decimal("1234.50")
    before = line.actual()
    with pytest.raises(ValidationError):
        commit(organisation=home_org, content=_csv([good, *bad]), file_name="gl.csv", mapping=mapping,
               actor=demo_user("finance"))  # fmt: skip
    assert line.actual() == before
    done = commit(organisation=home_org, content=_csv([good]), file_name="gl.csv", mapping=mapping,
                  actor=demo_user("finance"))  # fmt: skip
    assert done.rows == 1 and line.actual() == before + Decimal("1234.50")
    with pytest.raises(ValidationError):  # the same file twice
        commit(organisation=home_org, content=_csv([good]), file_name="gl.csv", mapping=mapping,
               actor=demo_user("finance"))  # fmt: skip


def test_the_ledger_import_page_maps_previews_and_commits(client_as, home_org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    year = timezone.localdate().year
    client = client_as("finance")
    LedgerMapping.objects.filter(organisation=home_org).delete()
    upload = SimpleUploadedFile("gl.csv", _csv([f"01/02/{year};613200;Rent;=1+2;"]), content_type="text/csv")
    response = client.post(reverse("contracts:ledger_import"), {"step": "upload", "organisation": home_org.pk,
                                                                 "file": upload})  # fmt: skip
    assert response.context["step"] == "map"
    response = client.post(reverse("contracts:ledger_import"), {
        "step": "map", "delimiter": ";", "decimal_comma": "on", "date_format": "%d/%m/%Y", "col_date": "Date",
        "col_account": "Compte", "col_amount": "Montant", "col_description": "Libellé", "col_project": "Projet"})  # fmt: skip  # noqa: E501
    assert response.context["step"] == "preview"
    assert "is not a number" in response.content.decode()  # a formula is refused, never evaluated
    assert LedgerMapping.objects.get(organisation=home_org).columns["amount"] == "Montant"  # kept for next time


# --- the funding mix --------------------------------------------------------------------------------------------


def test_the_funding_mix_equals_the_raw_sums(home_org):
    year = timezone.localdate().year - 1
    mix = funding_mix(year=year)
    valid = Receipt.objects.filter(received_on__year=year, cancelled_on__isnull=True)

    def raw(*kinds):
        return valid.filter(source__kind__in=kinds).aggregate(t=Sum("amount"))["t"] or Decimal("0")

    assert mix.amounts[MixCategory.STATE] == raw(SourceKind.MINISTRY)
    assert mix.amounts[MixCategory.COMMUNES] == raw(SourceKind.COMMUNES)
    assert mix.amounts[MixCategory.EU] == raw(SourceKind.ESF_PLUS, SourceKind.EU_OTHER)
    assert mix.amounts[MixCategory.FEES] == raw(SourceKind.FEES)
    assert mix.amounts[MixCategory.PRIVATE] == raw(SourceKind.PRIVATE_CONTRACTS, SourceKind.DONATIONS)
    hours = VolunteerHours.objects.filter(date__year=year).aggregate(t=Sum("hours"))["t"] or 0
    assert mix.amounts[MixCategory.IN_KIND] == (hours * NetworkSettings.load().volunteer_hour_rate).quantize(
        Decimal("0.01")) + raw(SourceKind.IN_KIND)  # fmt: skip
    assert mix.amounts[MixCategory.STATE] > mix.amounts[MixCategory.COMMUNES] > 0
    assert abs(sum(s.share for s in mix.shares) - 100) <= Decimal("0.5")
    org_mix = funding_mix(year=year, organisation=home_org)
    assert org_mix.amounts[MixCategory.FEES] == valid.filter(organisation=home_org, source__kind="fees").aggregate(
        t=Sum("amount"))["t"]  # fmt: skip
    project = pick(home_org.projects.filter(receipts__received_on__year=year).distinct())
    assert funding_mix(year=year, project=project).total == valid.filter(project=project).aggregate(
        t=Sum("amount"))["t"]  # fmt: skip


def test_a_cancelled_receipt_leaves_the_mix(demo_user, home_org):
    from moulin.contracts.services import cancel_receipt

    receipt = pick(Receipt.objects.filter(organisation=home_org, cancelled_on__isnull=True, source__kind="fees"))
    year = receipt.received_on.year
    before = funding_mix(year=year, organisation=home_org).fees
    cancel_receipt(receipt, actor=demo_user("finance"), reason="Entered twice")
    assert funding_mix(year=year, organisation=home_org).fees == before - receipt.amount
    assert Receipt.objects.filter(pk=receipt.pk).exists()  # cancelled, not deleted


@pytest.mark.parametrize("role", ["staff", "finance", "board", "ministry", "manager"])
def test_the_mix_page_shows_the_policys_counted_figures(role, client_as):
    client = client_as(role)
    response = client.get(reverse("contracts:funding_mix"))
    assert response.status_code == 200
    mix = response.context["mix"]
    if role == "ministry":
        assert response.context["form"] is None and response.context["organisation"] is None
        assert mix.total == funding_mix(year=mix.year).total  # the network's mix
    else:
        expected = funding_mix(year=mix.year, organisation=response.context["organisation"], user=client.user)
        assert mix.total == expected.total
    assert 'data-testid="mix-chart"' in response.content.decode()


def test_the_commune_officer_and_coach_have_no_mix(client_as):
    assert client_as("commune").get(reverse("contracts:funding_mix")).status_code == 403
    assert client_as("coach").get(reverse("contracts:funding_mix")).status_code == 403


def test_reinvestment_shows_fee_revenue_and_what_it_funded(client_as, home_org):
    year = timezone.localdate().year - 1
    response = client_as("finance").get(reverse("contracts:funding_mix"), {"year": year, "organisation": home_org.pk})
    reinvested = response.context["reinvested"]
    fees = Receipt.objects.filter(organisation=home_org, received_on__year=year, source__kind="fees",
                                  cancelled_on__isnull=True).aggregate(t=Sum("amount"))["t"]  # fmt: skip
    assert reinvested.fee_revenue == fees
    assert reinvested.lines and all(line.financed_by == "fees" for line in reinvested.lines)


# --- scope per role ---------------------------------------------------------------------------------------------


def test_each_role_sees_the_contracts_its_policy_gives(demo_user, home_org):
    everything = Contract.objects.count()
    assert Contract.objects.visible_to(demo_user("staff")).count() == everything
    assert Contract.objects.visible_to(demo_user("finance.network")).count() == everything
    for role in ("manager", "finance", "board"):
        orgs = set(Contract.objects.visible_to(demo_user(role)).values_list("organisation", flat=True))
        assert orgs == {home_org.pk}, role
    commune = demo_user("commune").role_assignments.get().commune
    seen = Contract.objects.visible_to(demo_user("commune"))
    assert seen.exists() and set(seen.values_list("counterparty__commune", flat=True)) == {commune.pk}
    for role in ("ministry", "coach", "teamleader"):
        assert not Contract.objects.visible_to(demo_user(role)).exists(), role
        assert not FundingAgreement.objects.visible_to(demo_user(role)).exists(), role


def test_outsiders_get_404_and_readers_cannot_write(client_as, home_org, other_org):
    outside = pick(Contract.objects.filter(organisation=other_org))
    inside = pick(Contract.objects.filter(organisation=home_org, status="in_force"))
    for role in ("manager", "finance", "board"):
        assert client_as(role).get(outside.get_absolute_url()).status_code == 404, role
        assert client_as(role).get(inside.get_absolute_url()).status_code == 200, role
    assert client_as("board").get(reverse("contracts:update", args=[inside.pk])).status_code == 403
    assert client_as("commune").get(reverse("contracts:update", args=[inside.pk])).status_code in (403, 404)
    budget = pick(Budget.objects.filter(organisation=other_org))
    assert client_as("finance").get(budget.get_absolute_url()).status_code == 404
    assert client_as("ministry").get(reverse("contracts:list")).status_code == 403


def test_the_commune_page_lists_its_contracts(client_as):
    commune = client_as("commune").user.role_assignments.get().commune
    body = client_as("commune").get(commune.get_absolute_url()).content.decode()
    contract = pick(Contract.objects.filter(counterparty__commune=commune))
    assert contract.title in body


def test_the_money_audit_trail_is_browsed_by_boards_for_their_organisation(client_as, home_org, other_org):
    staff = client_as("staff")
    inside = pick(Budget.objects.filter(organisation=home_org, year=timezone.localdate().year, project=None))
    outside = pick(Budget.objects.filter(organisation=other_org, year=timezone.localdate().year, project=None))
    for budget in (inside, outside):
        assert staff.post(reverse("contracts:budget_update", args=[budget.pk]),
                          {"organisation": budget.organisation_id, "year": budget.year,
                           "notes": "Revised in June"}).status_code == 302  # fmt: skip
    board = client_as("board")
    response = board.get(reverse("core:audit_list"))
    assert response.status_code == 200
    rows = [obj for obj, _cells in response.context["rows"]]
    ids = {(e.object_type, e.object_id) for e in rows}
    assert ("contracts.budget", str(inside.pk)) in ids and ("contracts.budget", str(outside.pk)) not in ids
    event = next(e for e in rows if e.object_id == str(inside.pk))
    assert event.detail["after"]["notes"] == "Revised in June" and event.detail["before"]["notes"] == ""
    assert all(e.detail.get("money") for e in rows)  # no read of a person's record
    assert client_as("staff").get(reverse("core:audit_list")).status_code == 200
    assert client_as("coach").get(reverse("core:audit_list")).status_code == 403


# --- the API ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "finance", "board", "commune", "ministry", "coach"])
def test_the_api_reads_contracts_and_funding_under_the_policies(role, client_as):
    client = client_as(role)
    data = client.get("/api/v1/money/contracts", {"page_size": 100}).json()
    visible = (
        Contract.objects.visible_to(client.user) if role not in ("ministry", "coach") else Contract.objects.none()
    )
    assert data["count"] == visible.count()
    outside = Contract.objects.exclude(pk__in=visible.values("pk")).first()
    if outside is not None:
        assert client.get(f"/api/v1/money/contracts/{outside.pk}").status_code == 404
    funding = client.get("/api/v1/money/funding-agreements", {"source_kind": "esf_plus"}).json()
    assert funding["count"] == FundingAgreement.objects.visible_to(client.user).esf_plus().count()
    if role == "staff":
        item = data["items"][0]
        assert {"political_signature", "administrative_signature", "counterparty"} <= set(item)
        assert "peppol_id" in item["counterparty"]


def test_renewal_alerts_go_to_the_money_people_of_contracts_ending_within_90_days(mailoutbox):
    from moulin.contracts.services import contracts_to_renew
    from moulin.ops.alerts import send_contract_renewal_alerts

    due = list(contracts_to_renew())
    assert due and all(0 <= c.days_left() <= 90 for c in due)
    result = send_contract_renewal_alerts()
    assert f"{len(due)} contracts" in result
    network = [m for m in mailoutbox if m.to == ["finance.network@moulin.demo"]]
    assert network and all(c.title in network[0].body for c in due)


def test_the_networks_finance_staff_count_the_whole_networks_mix(client_as):
    response = client_as("finance.network").get(reverse("contracts:funding_mix"))
    mix = response.context["mix"]
    assert response.context["organisation"] is None
    assert mix.total == funding_mix(year=mix.year).total and mix.volunteer_hours > 0


def test_a_finance_officer_without_organisation_is_valid_and_a_board_member_without_one_is_not():
    from moulin.access.roles import Role
    from moulin.accounts.models import RoleAssignment
    from tests.factories import user_with_role

    user = user_with_role(Role.COACH)
    RoleAssignment(user=user, role=Role.FINANCE_OFFICER).full_clean()
    with pytest.raises(ValidationError):
        RoleAssignment(user=user, role=Role.BOARD_MEMBER).full_clean()
