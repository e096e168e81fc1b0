"""Demo step: the community-care service of each of the 24 community-care projects, with the network's kinds of
work and craft rules, a social tariff per organisation, about 3,000 beneficiaries and their requests over
eighteen months (accepted, referred to craftsmen, declined, cancelled), the interventions that answered them and
the satisfaction surveys that followed. Everything is bulk-inserted."""

import datetime
from collections import defaultdict
from decimal import Decimal

from moulin.care.enums import BeneficiaryKind, Channel, RequestStatus, ServiceLine, SurveyChannel, Unit
from moulin.care.models import Beneficiary, Intervention, Request, ServiceType, SocialTariff, Survey, WorkKind
from moulin.care.services import REQUESTS
from moulin.core.calendar import is_public_holiday
from moulin.projects.models import Project
from moulin.sequences.services import advance_to

CHAMBER = ("This job is one for a craftsman. The Chambre des Métiers lists the craftsmen of your region: "
           "www.cdm.lu, directory of craftsmen, or phone 42 67 67-1.")  # fmt: skip

WORK_KINDS = [
    ("Small repairs", False, "", ""),
    ("Gardening and hedge cutting", False, "", ""),
    ("Shopping and errands", False, "", ""),
    ("Accompaniment to appointments", False, "", ""),
    ("Moving furniture", False, "", ""),
    ("Electrical installation", True, "wiring, fuse box, socket outlet, electrical installation", CHAMBER),
    ("Roofing", True, "roof, gutter replacement, roof tiles", CHAMBER),
    ("Gas and heating installation", True, "boiler, gas pipe, central heating", CHAMBER),
    ("Structural masonry", True, "load-bearing wall, foundations", CHAMBER),
]

JOBS = [  # kind, description, hours, material value
    ("Small repairs", "Fix a dripping tap in the kitchen", "1.5", "8"),
    ("Small repairs", "Hang curtains and two shelves in the living room", "2", "25"),
    ("Small repairs", "Replace a broken door handle", "1", "15"),
    ("Small repairs", "Repaint the bathroom ceiling", "4", "60"),
    ("Gardening and hedge cutting", "Cut the hedge along the street", "3", "0"),
    ("Gardening and hedge cutting", "Mow the lawn and clear the leaves", "2", "0"),
    ("Shopping and errands", "Weekly shopping at the supermarket", "1.5", "0"),
    ("Accompaniment to appointments", "Accompany to the doctor's appointment", "2", "0"),
    ("Moving furniture", "Move a bed and a wardrobe to the ground floor", "3", "0"),
]
TOO_LARGE = [  # referred for the service's limits
    ("Small repairs", "Renovate the whole kitchen", "24", "2500"),
    ("Gardening and hedge cutting", "Lay a new terrace in the garden", "16", "900"),
]
EXCLUDED = [
    ("Electrical installation", "Install new socket outlets in the bedroom"),
    ("Roofing", "Replace broken roof tiles after the storm"),
    ("Gas and heating installation", "The boiler makes a noise: check it"),
]
DECLINE_REASONS = [
    "The beneficiary does not meet the service's conditions (income above the ceiling).",
    "The same help is already given by the commune's social office.",
    "The job is a commercial cleaning contract, not a service to a person.",
]

#: income bands of the social tariff: (from, below, price for one person); larger households pay less
BANDS = [(0, 1800, "6.00"), (1800, 2800, "10.00"), (2800, 4000, "15.00"), (4000, None, "22.00")]

BENEFICIARIES_PER_SERVICE = 125
#: Luxembourg landline and mobile numbers, stored as E.164
PHONE_PREFIXES = ["+35226", "+352621", "+352691"]
STREETS = ["rue de l'Église", "rue Principale", "route d'Arlon", "rue de la Gare", "rue du Moulin", "Grand-Rue",
           "rue des Jardins", "rue du Parc", "rue des Prés", "rue de la Chapelle", "rue du Cimetière"]  # fmt: skip


def working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5 or is_public_holiday(day):
        day += datetime.timedelta(days=1)
    return day


def generate(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    kinds = {k.name: k for k in WorkKind.objects.bulk_create([
        WorkKind(name=name, excluded=excluded, keywords=keywords, referral_text=text)
        for name, excluded, keywords, text in WORK_KINDS
    ])}  # fmt: skip
    projects = list(
        Project.objects.filter(service_line="community_care")
        .select_related("organisation")
        .prefetch_related("communes", "teams")
        .order_by("pk")
    )
    services, service_communes, service_teams = [], {}, {}
    for project in projects:
        services.append(ServiceType(
            organisation=project.organisation, project=project, service_line=ServiceLine.COMMUNITY_CARE,
            name=f"Help at home – {project.name}"[:150], unit=Unit.HOUR, max_hours=Decimal("4"),
            max_material_value=Decimal("150"), referral_text=CHAMBER,
            description="Small repairs, gardening, shopping and accompaniment for elderly people and people in "
                        "need, so that they can stay at home.",
            how_to_ask=f"Phone {project.organisation.display_name}, Monday to Friday 8:30–12:00, or use the form.",
        ))  # fmt: skip
    services = ServiceType.objects.bulk_create(services)
    through = ServiceType.communes.through
    links = []
    for service, project in zip(services, projects, strict=True):
        communes = list(project.communes.all())
        service_communes[service.pk] = communes
        service_teams[service.pk] = [t for t in project.teams.all() if t.is_active]
        links += [through(servicetype_id=service.pk, commune_id=c.pk) for c in communes]
    through.objects.bulk_create(links)

    tariffs = []
    for org_id in sorted({s.organisation_id for s in services}):
        for valid_from, valid_until, rise in [(datetime.date(today.year - 1, 1, 1),
                                               datetime.date(today.year - 1, 12, 31), Decimal("0")),
                                              (datetime.date(today.year, 1, 1), None, Decimal("0.50"))]:  # fmt: skip
            for size, discount in [(1, Decimal("0")), (2, Decimal("1")), (4, Decimal("2"))]:
                for low, high, price in BANDS:
                    tariffs.append(SocialTariff(
                        organisation_id=org_id, household_size=size, income_from=Decimal(low),
                        income_to=None if high is None else Decimal(high), valid_from=valid_from,
                        valid_until=valid_until, hourly_price=max(Decimal(price) + rise - discount, Decimal("3")),
                    ))  # fmt: skip
    SocialTariff.objects.bulk_create(tariffs)

    people, owner = [], []
    for service in services:
        communes = service_communes[service.pk]
        if not communes:
            continue
        for _ in range(BENEFICIARIES_PER_SERVICE):
            size = rng.choices([1, 2, 3, 4], weights=[55, 30, 9, 6])[0]
            proof = rng.random() > 0.04
            review = today + datetime.timedelta(days=rng.randint(-60, 330))
            consent_on = today - datetime.timedelta(days=rng.randint(30, 900))
            people.append(Beneficiary(
                organisation_id=service.organisation_id, first_name=ctx.first_name(), last_name=ctx.last_name(),
                kind=rng.choices(list(BeneficiaryKind.values), weights=[60, 30, 8, 2])[0],
                address=f"{rng.randint(1, 120)}, {rng.choice(STREETS)}", commune=rng.choice(communes),
                postcode=f"L-{rng.randint(1000, 9999)}",
                phone=f"{rng.choice(PHONE_PREFIXES)}{rng.randint(100000, 999999)}",
                household_size=size, monthly_income=Decimal(rng.randrange(1200, 5200, 50)),
                income_proof=rng.choice(["Pension statement", "Social office certificate", "Tax assessment"])
                if proof else "",
                income_review_on=review if proof else None,
                contact_name=ctx.person_name() if rng.random() < 0.5 else "", consent=True, consent_on=consent_on,
            ))  # fmt: skip
            owner.append(service)
    people = Beneficiary.objects.bulk_create(people, batch_size=1000)

    requests = []
    for person, service in zip(people, owner, strict=True):
        for _ in range(rng.choices([1, 2, 3], weights=[55, 35, 10])[0]):
            received = today - datetime.timedelta(days=rng.randint(0, 540))
            draw = rng.random()
            kind_name, text, hours, value = rng.choice(JOBS)
            status, reason, referral = RequestStatus.ACCEPTED, "", ""
            if draw < 0.06:
                kind_name, text = rng.choice(EXCLUDED)
                hours = value = None
                status, reason, referral = RequestStatus.REFERRED, f"{kind_name} is left to craftsmen.", CHAMBER
            elif draw < 0.10:
                kind_name, text, hours, value = rng.choice(TOO_LARGE)
                status, referral = RequestStatus.REFERRED, CHAMBER
                reason = f"The job needs {hours} hours; an intervention takes at most 4.0 hours."
            elif draw < 0.13:
                status, reason = RequestStatus.DECLINED, rng.choice(DECLINE_REASONS)
            elif draw < 0.15:
                status, reason = RequestStatus.CANCELLED, "The beneficiary no longer needs the help."
            requests.append(Request(
                organisation_id=service.organisation_id, beneficiary=person, commune_id=person.commune_id,
                service_type=service, work_kind=kinds[kind_name], received_on=received, status_changed_on=received,
                channel=rng.choices([Channel.PHONE, Channel.COUNTER, Channel.PUBLIC_FORM], weights=[60, 25, 15])[0],
                description=text, estimated_hours=Decimal(hours) if hours else None,
                estimated_material_value=Decimal(value) if value else None, status=status, reason=reason,
                referral_text=referral,
            ))  # fmt: skip
    # references follow the order of receipt within each year
    requests.sort(key=lambda r: (r.received_on, r.beneficiary.pk))
    counters = defaultdict(int)
    for r in requests:
        counters[r.received_on.year] += 1
        r.reference = REQUESTS.format(counters[r.received_on.year], year=r.received_on.year)
    requests = Request.objects.bulk_create(requests, batch_size=1000)
    for year, last in counters.items():
        advance_to(REQUESTS, organisation_id=None, year=year, last=last)

    interventions, surveys, moved = [], [], []
    for r in requests:
        teams = service_teams.get(r.service_type_id) or []
        if r.status != RequestStatus.ACCEPTED or not teams:
            continue
        day = working_day(r.received_on + datetime.timedelta(days=rng.randint(2, 12)))
        planned = r.estimated_hours or Decimal("2")
        done = day < today
        if not done and ((day - today).days > 21 or rng.random() < 0.5):
            continue  # still to be scheduled
        interventions.append(Intervention(
            request=r, team=rng.choice(teams), date=day, planned_hours=planned,
            completed_on=day if done else None,
            hours=min(planned + Decimal(rng.choice(["-0.5", "0", "0", "0.5"])), Decimal("4")).max(Decimal("0.5"))
            if done else None,
            materials="Small supplies" if done and r.estimated_material_value else "",
            material_value=r.estimated_material_value if done else None,
        ))  # fmt: skip
        r.status = RequestStatus.COMPLETED if done else RequestStatus.SCHEDULED
        r.status_changed_on = day if done else r.received_on
        moved.append(r)
        if done:
            answered = rng.random() < 0.7
            score = rng.choices([5, 4, 3, 2, 1], weights=[55, 30, 9, 4, 2])[0] if answered else None
            surveys.append(Survey(
                request=r, sent_on=day, channel=rng.choice([SurveyChannel.LINK, SurveyChannel.PHONE]),
                answered_on=min(day + datetime.timedelta(days=rng.randint(1, 10)), today) if answered else None,
                satisfaction=score, on_time=(rng.random() < 0.92) if answered else None,
                would_recommend=(score >= 4) if answered else None,
            ))  # fmt: skip
    Intervention.objects.bulk_create(interventions, batch_size=1000)
    Request.objects.bulk_update(moved, ["status", "status_changed_on"], batch_size=1000)
    Survey.objects.bulk_create(surveys, batch_size=1000)
    ctx.store["care_services"] = services
