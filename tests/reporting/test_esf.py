"""ESF+ common indicators against hand-computed values on a small operation, with each edge of the definitions: a
situation established exactly four weeks after leaving (counted) and one day later (not counted), a participant who
re-enters (counted once, at the first entry; has not left at the exit before re-entering), a special category
answered without a recorded consent (not counted), a participant employed at entry (no EECR04)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from moulin.organisations.models import Domain
from moulin.participants import enums
from moulin.participants.models import (
    EmploymentContract,
    EmploymentMeasure,
    EntryData,
    Exit,
    FollowUp,
    Participant,
    SensitiveData,
)
from moulin.projects.models import Project
from moulin.reporting import esf
from tests.picking import pick

D = datetime.date
W, M, NB, UNKNOWN = enums.Gender.WOMAN, enums.Gender.MAN, enums.Gender.NON_BINARY, ""


def year() -> int:
    return timezone.localdate().year - 1


def _project(org, name):
    return Project.objects.create(
        organisation=org, name=name, domain=pick(Domain.objects.all()), start=D(2015, 1, 1), status="running"
    )


def _person(org, project, *, name, gender, birth, status=None, isced=None, contracts=()):
    p = Participant.objects.create(organisation=org, first_name=name, last_name="Esf", gender=gender, birth_date=birth)
    if status is not None:
        EntryData.objects.create(
            participant=p, recorded_on=contracts[0][0], labour_market_status=status, education_level=isced
        )
    measure = pick(EmploymentMeasure.objects.all())
    for start, end in contracts:
        EmploymentContract.objects.create(
            participant=p,
            organisation=org,
            project=project,
            start=start,
            planned_end=end,
            contract_type=enums.ContractType.FIXED_TERM,
            measure=measure,
            weekly_hours=40,
        )
    return p


def _exit(p, day, situation, recorded=None, *, qualification=False, six_months=None):
    e = Exit.objects.create(
        participant=p,
        date=day,
        reason=enums.ExitReason.CONTRACT_END,
        situation=situation,
        situation_recorded_on=recorded,
        qualification_gained=qualification,
    )
    if six_months:
        FollowUp.objects.create(
            participant=p,
            exit=e,
            due_on=day + datetime.timedelta(days=183),
            done_on=day + datetime.timedelta(days=183),
            situation=six_months,
        )
    return e


@pytest.fixture
def operation(home_org):
    y = year()
    project = _project(home_org, "Opération FSE+ test")
    other = _project(home_org, "Hors opération")
    people = {}
    people["A"] = a = _person(
        home_org,
        project,
        name="Anna",
        gender=W,
        birth=D(y - 20, 1, 1),
        status=enums.LabourMarketStatus.UNEMPLOYED,
        isced="2",
        contracts=[(D(y, 3, 1), D(y, 8, 31))],
    )
    # in employment, established exactly four weeks (28 days) after leaving: counted; employed six months after
    _exit(
        a,
        D(y, 8, 31),
        enums.Situation.EMPLOYED_FIXED_TERM,
        D(y, 9, 28),
        six_months=enums.Situation.EMPLOYED_OPEN_ENDED,
    )
    people["B"] = b = _person(
        home_org,
        project,
        name="Bruno",
        gender=M,
        birth=D(y - 61, 1, 1),
        status=enums.LabourMarketStatus.LONG_TERM_UNEMPLOYED,
        isced="4",
        contracts=[(D(y, 2, 1), D(y, 6, 30))],
    )
    # job searching, but established 29 days after leaving: not a situation "upon leaving"
    _exit(b, D(y, 6, 30), enums.Situation.JOB_SEARCHING, D(y, 7, 29))
    SensitiveData.objects.create(
        participant=b, disability=enums.Sensitive.YES, disability_consent=D(y, 2, 1), homeless=enums.Sensitive.YES
    )  # homeless: no consent recorded → not counted
    # re-enters: first entered the year before (counted then, not now); the exit before re-entering is no leaving
    people["C"] = c = _person(
        home_org,
        project,
        name="Cam",
        gender=NB,
        birth=D(y - 40, 6, 1),
        status=enums.LabourMarketStatus.INACTIVE,
        isced="3",
        contracts=[(D(y - 1, 5, 1), D(y - 1, 12, 31)), (D(y, 4, 1), D(y, 12, 31))],
    )
    _exit(c, D(y - 1, 12, 31), enums.Situation.JOB_SEARCHING, D(y - 1, 12, 31))
    _exit(c, D(y, 12, 31), enums.Situation.EDUCATION)  # on the period's last day, recorded at the exit
    # employed at entry: in employment upon leaving is no EECR04; a qualification gained is EECR03
    people["D"] = d = _person(
        home_org,
        project,
        name="Dora",
        gender=W,
        birth=D(y - 35, 7, 7),
        status=enums.LabourMarketStatus.EMPLOYED,
        isced="6",
        contracts=[(D(y, 5, 1), D(y, 10, 31))],
    )
    _exit(d, D(y, 10, 31), enums.Situation.EMPLOYED_OPEN_ENDED, D(y, 11, 2), qualification=True)
    # no gender, no entry data recorded: a participant (EECO01), in no status
    people["E"] = _person(
        home_org,
        project,
        name="Eli",
        gender=UNKNOWN,
        birth=D(y - 45, 1, 1),
        contracts=[(D(y, 11, 1), D(y + 1, 10, 31))],
    )
    # on another project: outside the operation
    people["F"] = _person(
        home_org,
        other,
        name="Fritz",
        gender=M,
        birth=D(y - 30, 1, 1),
        status=enums.LabourMarketStatus.UNEMPLOYED,
        isced="2",
        contracts=[(D(y, 3, 1), D(y, 8, 31))],
    )
    return project, people


def _table(found):
    return {i.code: {g: {p for p in pks} for g, pks in i.by_gender.items() if pks} for i in found}


def test_indicators_against_hand_computed_values(operation):
    project, p = operation
    y = year()
    got = _table(esf.indicators([project], D(y, 1, 1), D(y, 12, 31)))
    A, B, C, D_, E = (p[k].pk for k in "ABCDE")  # noqa: N806
    expected = {
        "EECO01": {W: {A, D_}, M: {B}, UNKNOWN: {E}},
        "EECO02": {W: {A}, M: {B}},
        "EECO03": {M: {B}},
        "EECO04": {},
        "EECO05": {W: {D_}},
        "EECO06": {},
        "EECO07": {W: {A}},
        "EECO08": {M: {B}},
        "EECO09": {W: {A}},
        "EECO10": {M: {B}},
        "EECO11": {W: {D_}},
        "EECO12": {M: {B}},
        "EECO13": {},
        "EECO14": {},
        "EECO15": {},
        "EECO16": {},  # answered yes, consent not recorded
        "EECR01": {},  # job searching established 29 days after leaving
        "EECR02": {NB: {C}},
        "EECR03": {W: {D_}},
        "EECR04": {W: {A}},  # Dora was employed at entry
        "EECR05": {W: {A}},
    }
    for code, want in expected.items():
        assert got[code] == want, code
    assert set(got) == set(esf.definitions())  # every indicator of Annex I is listed, in the regulation's order


def test_a_participant_who_re_enters_is_counted_once_at_the_first_entry(operation):
    project, p = operation
    y = year()
    before = {i.code: i for i in esf.indicators([project], D(y - 1, 1, 1), D(y - 1, 12, 31))}
    assert before["EECO01"].participants == {p["C"].pk}
    assert before["EECO04"].by_gender[NB] == {p["C"].pk}
    assert all(not before[c].participants for c in ("EECR01", "EECR02", "EECR04"))  # re-entered: has not left
    both = {i.code: i for i in esf.indicators([project], D(y - 1, 1, 1), D(y, 12, 31))}
    assert both["EECO01"].total == 5  # A, B, C (once), D, E


def test_quarter_and_definitions(operation):
    project, p = operation
    y = year()
    q3 = {i.code: i for i in esf.indicators([project], D(y, 7, 1), D(y, 9, 30))}
    assert q3["EECO01"].participants == set()
    assert q3["EECR04"].participants == {p["A"].pk}  # left on 31 August
    assert "Regulation" not in q3["EECO01"].counting_rule and q3["EECO01"].counting_rule
    assert esf.definitions()["EECR04"]["name_en"].startswith("participants in employment")


def test_page_and_participants_for_the_reporter_only(operation, client_as):
    project, p = operation
    y = year()
    url = reverse("reporting:esf") + f"?project={project.pk}&year={y}"
    page = client_as("staff").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-code="EECR04"' in html and "Within 4 weeks after leaving" in html  # the definition next to it
    listing = reverse("reporting:esf_participants") + f"?project={project.pk}&year={y}&code=EECO12&gender=man"
    rows = client_as("staff").get(listing)
    assert rows.status_code == 200
    assert [obj.pk for obj, _cells in rows.context["rows"]] == [p["B"].pk]
    # the ministry: counts only, small ones suppressed, and no list of persons
    ministry = client_as("ministry")
    m = ministry.get(url)
    assert m.status_code in (200, 404)  # the project is not a record the ministry reads: refused with a message
    assert ministry.get(listing).status_code == 403
    assert client_as("board").get(listing).status_code == 403


@pytest.mark.parametrize("url", ["?year=20x5", "?year=2025&period=q9", "?project=abc"])
def test_malformed_input_is_a_clear_message(url, client_as):
    response = client_as("staff").get(reverse("reporting:esf") + url)
    assert response.status_code == 400
    assert response.context["error"]


def test_export(operation, client_as):
    project, _p = operation
    response = client_as("staff").get(reverse("reporting:esf") + f"?project={project.pk}&year={year()}&export=csv")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("EECO01,total number of participants,4,2,1,0,1")
