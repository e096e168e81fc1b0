"""Demo step: the resource centre, 30 member organisations, their premises, agreements covering
48 communes, boards with mandates and meetings, and volunteer hours over three years."""

from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from moulin.core.models import NetworkSettings
from moulin.organisations.enums import BoardRole, Level, OrganisationKind, PremisesKind, Represents
from moulin.organisations.models import (
    Agreement,
    BoardMandate,
    BoardMeeting,
    Domain,
    Organisation,
    Premises,
    VolunteerHours,
)
from moulin.territory.models import Commune

# (name, level, seat commune, communes under agreement, domains)
LOCAL = [
    "Esch-sur-Alzette", "Schifflange", "Rumelange", "Dudelange", "Differdange", "Kayl", "Bettembourg", "Sanem",
    "Mondercange", "Pétange", "Käerjeng", "Hesperange", "Kopstal", "Walferdange", "Steinsel", "Lorentzweiler",
    "Beckerich", "Wiltz", "Remich", "Mamer",
]  # fmt: skip
REGIONAL = [
    ("CIGR Nordstad", "Ettelbruck",
     ["Ettelbruck", "Diekirch", "Erpeldange-sur-Sûre", "Schieren", "Bettendorf", "Colmar-Berg"]),
    ("CIGR Mullerthal", "Echternach", ["Echternach", "Berdorf", "Consdorf", "Beaufort", "Waldbillig", "Larochette"]),
    ("CIGR Éislek", "Clervaux", ["Clervaux", "Wincrange", "Parc Hosingen", "Troisvierges"]),
    ("CIGR Syrdall", "Niederanven", ["Niederanven", "Sandweiler", "Schuttrange", "Contern", "Betzdorf"]),
    ("CIGR Uewersauer", "Lac de la Haute-Sûre", ["Lac de la Haute-Sûre", "Esch-sur-Sûre", "Boulaide", "Winseler"]),
    ("CIGR Musel", "Grevenmacher", ["Grevenmacher", "Mertert", "Wormeldange"]),
]  # fmt: skip
SECTORAL = [
    ("CIGS Web Cafés Lëtzebuerg", "Luxembourg", ["ict", "education-training"]),
    ("CIGS Environnement et Patrimoine", "Differdange", ["environment", "culture-tourism"]),
    ("CIGS Services de proximité", "Esch-sur-Alzette", ["community-care"]),
    ("CIGS Culture et Tourisme", "Vianden", ["culture-tourism"]),
]
# agreements that have ended: these communes are no longer covered
ENDED = [
    ("CIGR Nordstad", "Mersch", date(2019, 1, 1), date(2023, 12, 31)),
    ("CIGL Remich", "Schengen", date(2018, 3, 1), date(2022, 6, 30)),
]

AGENDA = "1. Approval of the previous minutes\n2. Activity report\n3. Accounts and budget\n4. Projects"
LOCAL_DOMAINS = [["environment", "community-care"], ["community-care", "ict"], ["environment", "culture-tourism"],
                 ["environment", "community-care", "ict"], ["education-training", "community-care"]]  # fmt: skip


def lu_iban(rng) -> str:
    bank = rng.choice(["001", "002", "014", "019", "025", "030"])
    account = "".join(str(rng.randint(0, 9)) for _ in range(13))
    bban = bank + account
    digits = "".join(str(int(ch, 36)) for ch in bban + "LU00")
    check = 98 - int(digits) % 97
    return f"LU{check:02d}{bban}"


def lu_vat(rng) -> str:
    first = rng.randint(100000, 999999)
    return f"LU{first}{first % 89:02d}"


def postcode(rng) -> str:
    return f"L-{rng.randint(1000, 9999)}"


def generate(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    settings = NetworkSettings.load()
    settings.name = "Réseau Objectif Plein Emploi (demo)"
    settings.volunteer_hour_rate = Decimal("25.00")
    settings.save()

    communes = {c.name: c for c in Commune.objects.all()}
    domains = {d.code: d for d in Domain.objects.all()}
    legal_numbers = iter(rng.sample(range(1000, 9999), 40))

    specs = [("Moulin Bestgen — centre de ressources", OrganisationKind.RESOURCE_CENTRE, "", "Schifflange", [],
              list(domains))]  # fmt: skip
    for i, name in enumerate(LOCAL):
        specs.append((f"CIGL {name}", OrganisationKind.MEMBER, Level.LOCAL, name, [name], LOCAL_DOMAINS[i % 5]))
    for name, seat, served in REGIONAL:
        specs.append((name, OrganisationKind.MEMBER, Level.REGIONAL, seat, served, ["environment", "community-care"]))
    for name, seat, codes in SECTORAL:
        specs.append((name, OrganisationKind.MEMBER, Level.SECTORAL, seat, [], codes))

    orgs = []
    for name, kind, level, seat, served, domain_codes in specs:
        seat_commune = communes[seat]
        org = Organisation(
            kind=kind,
            level=level,
            name=name,
            short_name=name.replace(" — centre de ressources", ""),
            slug=slugify(name.replace("—", ""))[:80],
            legal_number=f"F{next(legal_numbers)}",
            vat_number=lu_vat(rng) if rng.random() < 0.6 else "",
            iban=lu_iban(rng),
            address=ctx.street_address() if kind == OrganisationKind.MEMBER else "1, rue du Moulin",
            postcode=postcode(rng) if kind == OrganisationKind.MEMBER else "L-3857",
            locality=seat,
            seat_commune=seat_commune,
            email=f"info@{slugify(name)[:30]}.demo",
            phone=f"+352 {rng.randint(26, 59) % 10 + 40} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
            founded_on=date(rng.randint(1997, 2012), rng.randint(1, 12), 1),
        )
        org._served, org._domains = served, domain_codes
        orgs.append(org)
    Organisation.objects.bulk_create(orgs)
    orgs = list(Organisation.objects.order_by("pk"))
    for org, spec in zip(orgs, specs, strict=True):
        org._served, org._domains = spec[4], spec[5]
    Organisation.domains.through.objects.bulk_create(
        [
            Organisation.domains.through(organisation_id=org.pk, domain_id=domains[code].pk)
            for org in orgs
            for code in org._domains
        ]
    )

    premises, agreements = [], []
    by_name = {o.name: o for o in orgs}
    for org in orgs:
        premises.append(
            Premises(
                organisation=org,
                kind=PremisesKind.OFFICE,
                name="Bureau" if org.level else "Moulin Bestgen",
                address=org.address,
                postcode=org.postcode,
                locality=org.locality,
                commune=org.seat_commune,
                is_seat=True,
                opening_hours="Mon–Fri 8:00–12:00, 13:00–17:00",
            )  # fmt: skip
        )
        if org.kind == OrganisationKind.MEMBER:
            extra_commune = communes[org._served[-1]] if org._served else org.seat_commune
            premises.append(Premises(organisation=org, kind=PremisesKind.DEPOT, name="Dépôt",
                                     address=ctx.street_address(), postcode=postcode(rng),
                                     locality=extra_commune.name, commune=extra_commune))  # fmt: skip
            if "ict" in org._domains or rng.random() < 0.25:
                venue_commune = communes[rng.choice(org._served)] if org._served else org.seat_commune
                premises.append(Premises(organisation=org, kind=PremisesKind.WEB_CAFE, name="Web café",
                                         address=ctx.street_address(), postcode=postcode(rng),
                                         locality=venue_commune.name, commune=venue_commune,
                                         opening_hours="Tue–Sat 10:00–18:00"))  # fmt: skip
        for i, commune_name in enumerate(org._served):
            start = date(rng.randint(1999, 2020), 1, 1)
            agreements.append(
                Agreement(
                    organisation=org,
                    commune=communes[commune_name],
                    start=start,
                    end=None if rng.random() < 0.7 else date(today.year + rng.randint(1, 3), 12, 31),
                    reference=f"CONV-{start.year}-{org.legal_number}-{i + 1:02d}",
                )  # fmt: skip
            )
    for org_name, commune_name, start, end in ENDED:
        agreements.append(Agreement(organisation=by_name[org_name], commune=communes[commune_name], start=start,
                                    end=end, reference=f"CONV-{start.year}-END"))  # fmt: skip
    # the sectoral environment organisation also works under agreement in two communes already covered
    for commune_name in ("Esch-sur-Alzette", "Differdange"):
        agreements.append(Agreement(organisation=by_name["CIGS Environnement et Patrimoine"],
                                    commune=communes[commune_name], start=date(2015, 1, 1)))  # fmt: skip
    Premises.objects.bulk_create(premises)
    Agreement.objects.bulk_create(agreements)

    _boards(ctx, orgs)
    ctx.store["organisations"] = orgs
    ctx.store["organisation_by_name"] = by_name
    ctx.store["communes"] = communes


def _boards(ctx, orgs) -> None:
    rng, today = ctx.rng, ctx.today
    mandates = []
    for org in orgs:
        size = rng.randint(5, 9)
        roles = [BoardRole.PRESIDENT, BoardRole.VICE_PRESIDENT, BoardRole.SECRETARY, BoardRole.TREASURER]
        roles += [BoardRole.MEMBER] * (size - len(roles))
        for role in roles:
            start = date(today.year - rng.randint(0, 6), rng.choice([1, 3, 6, 9]), 1)
            represents = rng.choice(list(Represents))
            detail = ""
            if represents == Represents.COMMUNE_COUNCIL:
                detail = f"Conseil communal de {org.seat_commune.name}"
            elif represents == Represents.UNION:
                detail = rng.choice(["OGB-L", "LCGB"])
            mandates.append(BoardMandate(organisation=org, person_name=ctx.person_name(), role=role,
                                         represents=represents, represents_detail=detail, start=start))  # fmt: skip
        # a former president and a former member, ended before the current president started
        mandates.append(BoardMandate(organisation=org, person_name=ctx.person_name(), role=BoardRole.PRESIDENT,
                                     represents=Represents.RESIDENT, start=date(2008, 1, 1),
                                     end=date(today.year - 7, 12, 31)))  # fmt: skip
        mandates.append(BoardMandate(organisation=org, person_name=ctx.person_name(), role=BoardRole.MEMBER,
                                     represents=Represents.ASSOCIATION, start=date(2012, 1, 1),
                                     end=date(today.year - 2, 6, 30)))  # fmt: skip
    BoardMandate.objects.bulk_create(mandates)
    mandates = list(BoardMandate.objects.select_related("organisation").order_by("pk"))
    by_org: dict[int, list] = {}
    for m in mandates:
        by_org.setdefault(m.organisation_id, []).append(m)

    meetings, hours = [], []
    for org in orgs:
        for year in range(today.year - 2, today.year + 1):
            for month in (2, 5, 9, 11):
                day = date(year, month, rng.randint(3, 25))
                if day > today:
                    continue
                meetings.append(BoardMeeting(
                    organisation=org, date=day, place=f"{org.seat_commune.name}, salle du conseil",
                    agenda=AGENDA,
                    decisions=rng.choice([
                        "Accounts approved. New web café opening hours adopted.",
                        "Budget for next year adopted; renewal of the agreement with the commune approved.",
                        "Activity report approved; two new environmental sites accepted.",
                        "Recruitment of a second job coach approved.",
                    ]),
                ))  # fmt: skip
        members = by_org[org.pk]
        for year in (today.year - 2, today.year - 1, today.year):
            last = today if year == today.year else date(year, 12, 31)
            for _ in range(rng.randint(30, 60)):
                mandate = rng.choice(members)
                day = ctx.date_between(date(year, 1, 1), last)
                if not mandate.is_current(day):
                    continue
                hours.append(VolunteerHours(
                    organisation=org, mandate=mandate, volunteer_name=mandate.person_name, date=day,
                    hours=Decimal(rng.choice(["1.5", "2", "2.5", "3", "4", "6"])),
                    activity=rng.choice(["Board meeting", "Accounts review", "Event with residents",
                                         "Meeting with the commune", "Recruitment interviews", "Web café help"]),
                ))  # fmt: skip
            for _ in range(rng.randint(5, 15)):
                hours.append(VolunteerHours(
                    organisation=org, volunteer_name=ctx.person_name(),
                    date=ctx.date_between(date(year, 1, 1), last),
                    hours=Decimal(rng.choice(["2", "3", "4"])), activity="Volunteer at a local event",
                ))  # fmt: skip
    BoardMeeting.objects.bulk_create(meetings)
    attendance = []
    Through = BoardMeeting.attendees.through
    for meeting in BoardMeeting.objects.order_by("pk"):
        for m in by_org[meeting.organisation_id]:
            if m.is_current(meeting.date) and rng.random() < 0.8:
                attendance.append(Through(boardmeeting_id=meeting.pk, boardmandate_id=m.pk))
    Through.objects.bulk_create(attendance)
    VolunteerHours.objects.bulk_create(hours)
    ctx.store["mandates_by_org"] = by_org
