"""ESF+ common indicators (Regulation (EU) 2021/1057, Annex I) for an operation and a period, from the participant
records; every personal indicator broken down by gender (women, men, non-binary persons) as the regulation asks.

An *operation* is a project or a group of projects funded by ESF+: the projects of an ESF+ funding agreement
(``moulin.contracts``), or projects the reporter names (``operation_projects``). A *participant* of the
operation is a person with an employment contract on one of its projects; they **enter** on the first day of their
first such contract and are counted once per operation even when they re-enter (first entry date, last exit date).

- Output indicators (Annex I, 1.1 and 1.2) count the participants who **entered in the period**, by their
  situation at entry: labour-market status and education (``EntryData``), age at entry (date of birth, else the age
  at first referral), and the special categories (``SensitiveData``) only where the person answered *yes* and the
  date of their consent is recorded — a missing consent, a refusal or no answer is not counted.
- Result indicators (Annex I, 3 and 4) count the participants who **left in the period**: their last exit, with
  no contract on the operation starting after it (a participant who re-enters has not left). Immediate results are
  the situation upon leaving when it was established within four weeks (28 days) of leaving; longer-term results
  the situation recorded at the six-month follow-up.
"""

import csv
import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from moulin.participants import enums
from moulin.participants.models import EmploymentContract, EntryData, Exit, FollowUp, Participant, SensitiveData

DATA = Path(__file__).parent / "data" / "esf_plus_common_indicators.csv"
FOUR_WEEKS = datetime.timedelta(days=28)
GENDERS = [
    (enums.Gender.WOMAN, _("women")),
    (enums.Gender.MAN, _("men")),
    (enums.Gender.NON_BINARY, _("non-binary persons")),
    ("", _("gender not recorded")),
]

UNEMPLOYED = {enums.LabourMarketStatus.UNEMPLOYED, enums.LabourMarketStatus.LONG_TERM_UNEMPLOYED}
INACTIVE = {enums.LabourMarketStatus.INACTIVE, enums.LabourMarketStatus.INACTIVE_NEET}
SENSITIVE = {
    "EECO12": "disability",
    "EECO13": "third_country_national",
    "EECO14": "foreign_background",
    "EECO15": "minority",
    "EECO16": "homeless",
}
#: indicators Moulin cannot compute, and why (shown on the page, never a made-up figure)
NOT_RECORDED = {
    "EECO17": _("Residence by degree of urbanisation (DEGURBA) is not recorded for the communes yet."),
    "EECO18": _("The network supports people, not public administrations, in its operations."),
    "EECO19": _("The network supports people, not enterprises, in its operations."),
    "EECR06": _("Whether a job is more stable or needs higher skills than the one held at entry is not recorded."),
}


@cache
def definitions() -> dict[str, dict]:
    """The regulation's indicators (code → wording, section, type, counting rule), from the shipped CSV."""
    with DATA.open(encoding="utf-8") as f:
        return {row["code"]: row for row in csv.DictReader(f)}


def operations(user):
    """The ESF+ operations the user may see: the funding agreements whose source is ESF+ (``moulin.contracts``)."""
    from moulin.contracts.models import FundingAgreement

    return FundingAgreement.objects.visible_to(user).esf_plus().select_related("organisation").order_by("-start")


def operation_projects(operation) -> list:
    """The projects of an operation: an ESF+ funding agreement's projects, or a set of projects the reporter
    names (an operation not recorded as an agreement yet)."""
    if hasattr(operation, "projects") and hasattr(operation, "source_id"):
        return list(operation.projects.all())
    return list(operation)


@dataclass
class Person:
    pk: int
    gender: str
    entered: datetime.date
    status: str = ""
    education: str = ""
    age: int | None = None
    sensitive: dict = field(default_factory=dict)  # indicator code -> counted (yes with consent)
    left: datetime.date | None = None
    situation: str = ""
    within_four_weeks: bool = False
    qualification: bool = False
    six_months: str = ""


@dataclass
class Indicator:
    code: str
    name: str
    kind: str  # "output", "immediate_result", "longer_term_result"
    counting_rule: str
    by_gender: dict  # gender -> set of participant pks
    not_recorded: object = ""

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.by_gender.values())

    @property
    def participants(self) -> set:
        return set().union(*self.by_gender.values()) if self.by_gender else set()


def _age(birth, on, fallback):
    if birth is None:
        return fallback
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def people(projects, start, end, *, user=None) -> tuple[list[Person], list[Person]]:
    """The participants who entered the operation in the period, and those who left it in the period (each with
    what the indicators read), counted through ``counted_for`` when a ``user`` is given."""

    def counted(model):
        return model.objects.counted_for(user) if user is not None else model.objects.all()

    contracts = counted(EmploymentContract).filter(project__in=operation_projects(projects))
    first = dict(contracts.values_list("participant").annotate(d=Min("start")).order_by())
    last_start = {}
    for pk, day in contracts.values_list("participant", "start"):
        last_start[pk] = max(day, last_start.get(pk, day))
    pks = [pk for pk, d in first.items() if d <= end]
    base = {
        p["pk"]: p
        for p in counted(Participant).filter(pk__in=pks).values("pk", "gender", "birth_date", "age_at_entry")
    }
    entry = {
        e["participant"]: e
        for e in counted(EntryData)
        .filter(participant__in=base)
        .values("participant", "labour_market_status", "education_level")
    }
    sensitive = {s["participant_id"]: s for s in counted(SensitiveData).filter(participant__in=base).values()}
    exits = {}
    for e in (
        counted(Exit)
        .filter(participant__in=base)
        .values("pk", "participant", "date", "situation", "situation_recorded_on", "qualification_gained")
    ):
        if e["date"] >= first[e["participant"]] and (
            e["participant"] not in exits or e["date"] > exits[e["participant"]]["date"]
        ):
            exits[e["participant"]] = e
    follow_ups = dict(
        counted(FollowUp)
        .filter(exit__in=[e["pk"] for e in exits.values()], done_on__isnull=False)
        .values_list("exit", "situation")
    )
    entered, left = [], []
    for pk, row in base.items():
        day = first[pk]
        person = Person(pk=pk, gender=row["gender"] or "", entered=day)
        e = entry.get(pk, {})
        person.status, person.education = e.get("labour_market_status", ""), e.get("education_level", "")
        person.age = _age(row["birth_date"], day, row["age_at_entry"])
        s = sensitive.get(pk, {})
        person.sensitive = {
            code: s.get(name) == enums.Sensitive.YES and s.get(f"{name}_consent") is not None
            for code, name in SENSITIVE.items()
        }
        ex = exits.get(pk)
        if ex is not None and last_start[pk] <= ex["date"]:  # re-entered after this exit: has not left
            person.left = ex["date"]
            recorded = ex["situation_recorded_on"] or ex["date"]
            person.within_four_weeks = bool(ex["situation"]) and recorded - ex["date"] <= FOUR_WEEKS
            person.situation = ex["situation"] if person.within_four_weeks else ""
            person.qualification = ex["qualification_gained"] or person.situation == enums.Situation.QUALIFICATION
            person.six_months = follow_ups.get(ex["pk"]) or ""
        if start <= day <= end:
            entered.append(person)
        if person.left is not None and start <= person.left <= end:
            left.append(person)
    return entered, left


RULES = {
    "EECO01": lambda p: True,
    "EECO02": lambda p: p.status in UNEMPLOYED,
    "EECO03": lambda p: p.status == enums.LabourMarketStatus.LONG_TERM_UNEMPLOYED,
    "EECO04": lambda p: p.status in INACTIVE,
    "EECO05": lambda p: p.status == enums.LabourMarketStatus.EMPLOYED,
    "EECO06": lambda p: p.age is not None and p.age < 18,
    "EECO07": lambda p: p.age is not None and 18 <= p.age <= 29,
    "EECO08": lambda p: p.age is not None and p.age >= 55,
    "EECO09": lambda p: p.education in {"0", "1", "2"},
    "EECO10": lambda p: p.education in {"3", "4"},
    "EECO11": lambda p: p.education in {"5", "6", "7", "8"},
    **{code: (lambda p, c=code: p.sensitive.get(c, False)) for code in SENSITIVE},
    "EECR01": lambda p: p.situation == enums.Situation.JOB_SEARCHING,
    "EECR02": lambda p: p.situation == enums.Situation.EDUCATION,
    "EECR03": lambda p: p.within_four_weeks and p.qualification,
    "EECR04": lambda p: p.situation in enums.EMPLOYED_SITUATIONS and p.status != enums.LabourMarketStatus.EMPLOYED,
    "EECR05": lambda p: p.six_months in enums.EMPLOYED_SITUATIONS,
}


def indicators(projects, start, end, *, user=None) -> list[Indicator]:
    """Every common indicator of Annex I for the operation and the period, in the regulation's order."""
    entered, left = people(projects, start, end, user=user)
    found = []
    for code, row in definitions().items():
        rule = RULES.get(code)
        group = entered if row["indicator_type"] == "output" else left
        by_gender = {g: set() for g, _label in GENDERS}
        if rule is not None:
            for person in group:
                if rule(person):
                    by_gender.setdefault(person.gender, set()).add(person.pk)
        found.append(
            Indicator(
                code=code,
                name=row["name_en"],
                kind=row["indicator_type"],
                counting_rule=row["counting_rule"],
                by_gender=by_gender,
                not_recorded="" if rule else NOT_RECORDED.get(code, ""),
            )
        )
    return found
