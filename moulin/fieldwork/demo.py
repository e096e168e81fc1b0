"""Demo step of field work: the environmental projects' sites (about 800 in their communes), recurring work orders
with their work orders from 1 January of last year to the horizon, and the time entries of every worker of an
environmental team on every working day of their contracts last year and this year until yesterday (their
contract's weekly hours spread over the working days; never on a public holiday, never outside a contract).
Inserted in batches of raw rows: the ORM's bulk_create took most of a minute for these 150,000 rows."""

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from moulin.core.calendar import is_public_holiday
from moulin.fieldwork.models import (
    EntryKind,
    HolidayRule,
    IncidentKind,
    IncidentStatus,
    RecurringOrder,
    RequiredTraining,
    SafetyIncident,
    Severity,
    Site,
    SiteKind,
    TeamFeed,
    TimeEntry,
    WorkOrder,
    WorkOrderStatus,
)
from moulin.fieldwork.services import HORIZON_DAYS, new_work_orders
from moulin.participants.models import EmploymentContract
from moulin.projects.enums import ServiceLine
from moulin.projects.models import Project, Team

SITES_PER_PROJECT = 31
SITE_NAMES = {
    SiteKind.PLAYGROUND: ["Aire de jeux {}", "Spillplaz {}"],
    SiteKind.PARK: ["Parc {}", "Jardin public {}"],
    SiteKind.PATH: ["Sentier {}", "Chemin rural {}", "Piste cyclable {}"],
    SiteKind.RECYCLING_ROUTE: ["Tournée recyclage {}", "Parc à conteneurs {}"],
    SiteKind.PUBLIC_BUILDING: ["Mairie {}", "École fondamentale {}", "Centre culturel {}"],
}
WORK = {
    SiteKind.PLAYGROUND: ("Playground check and cleaning", "Bins\nSand pit\n!Swings and slides\n!Broken glass"),
    SiteKind.PARK: ("Mowing and hedges", "Mowing\nHedges\nBins\n!Paths swept"),
    SiteKind.PATH: ("Path maintenance", "Undergrowth cut back\n!Signposts\nLitter picked"),
    SiteKind.RECYCLING_ROUTE: ("Recycling round", "Glass\nPaper\nPlastic\n!Report overflowing containers"),
    SiteKind.PUBLIC_BUILDING: ("Green spaces of the building", "Flower beds\nLeaves\nEntrance swept"),
}
RULES = [
    "FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
    "FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=3TH",
]  # fmt: skip
#: each team also has a daily round, so that every working day of its workers has a work order
ROUND_RULE = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
CANCEL_REASONS = ["Storm warning", "Frost: no mowing", "Site closed for an event", "Team at a training day"]


def _point(commune, rng):
    """A point inside the commune's bounding box (its boundary when known, else the middle of the country)."""
    coords = []
    boundary = commune.boundary or {}

    def flatten(x):
        if x and isinstance(x[0], int | float):
            coords.append(x)
        else:
            for y in x:
                flatten(y)

    flatten(boundary.get("coordinates") or [])
    if coords:
        lons, lats = [c[0] for c in coords], [c[1] for c in coords]
        lon_lo, lon_hi, lat_lo, lat_hi = min(lons), max(lons), min(lats), max(lats)
        cx, cy = (lon_lo + lon_hi) / 2, (lat_lo + lat_hi) / 2
        lon = cx + (rng.random() - 0.5) * (lon_hi - lon_lo) * 0.5
        lat = cy + (rng.random() - 0.5) * (lat_hi - lat_lo) * 0.5
    else:
        lon, lat = 6.13 + (rng.random() - 0.5) * 0.4, 49.75 + (rng.random() - 0.5) * 0.4
    return [round(min(max(lon, 5.75), 6.5), 6), round(min(max(lat, 49.45), 50.15), 6)]


def _geometry(kind, commune, rng):
    start = _point(commune, rng)
    if kind in (SiteKind.PATH, SiteKind.RECYCLING_ROUTE):
        line = [start]
        for _ in range(rng.randint(2, 5)):
            lon, lat = line[-1]
            line.append([round(lon + rng.uniform(-0.004, 0.004), 6), round(lat + rng.uniform(-0.003, 0.003), 6)])
        return {"type": "LineString", "coordinates": line}
    return {"type": "Point", "coordinates": start}


def _insert(model, rows: list[dict]) -> None:
    """Insert many rows at once with one prepared statement (the ORM's ``bulk_create`` spends most of its time
    compiling each row, too slow for the demo's hundred thousand rows). Values are adapted as the fields would."""
    if not rows:
        return
    now = timezone.now()
    names = [*rows[0], "created_at", "updated_at"]
    fields = [model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name) for name in names]
    adapt = []
    for field in fields:
        kind = field.get_internal_type()
        if kind == "DateField":
            adapt.append(lambda v: connection.ops.adapt_datefield_value(v) if v is not None else None)
        elif kind == "DecimalField":
            adapt.append(lambda v, f=field: connection.ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places))
        elif kind == "JSONField":
            adapt.append(lambda v, f=field: f.get_db_prep_save(v, connection))
        else:
            adapt.append(lambda v: v)
    stamp = model._meta.get_field("created_at").get_db_prep_save(now, connection)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    values = [tuple(a(row[n]) for a, n in zip(adapt[:-2], names[:-2], strict=True)) + (stamp, stamp) for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])


def generate(ctx):
    rng, today = ctx.rng, ctx.today
    first_day = datetime.date(today.year - 1, 1, 1)
    last_day = today + datetime.timedelta(days=HORIZON_DAYS)
    projects = list(
        Project.objects.filter(service_line=ServiceLine.ENVIRONMENTAL_TEAM).prefetch_related("communes", "teams")
    )
    sites, recurring = [], []
    for project in projects:
        communes = sorted(project.communes.all(), key=lambda c: c.name)
        teams = sorted(project.teams.all(), key=lambda t: t.pk)
        if not communes or not teams:
            continue
        used = set()
        for n in range(SITES_PER_PROJECT):
            commune = communes[n % len(communes)]
            kind = rng.choice(list(SiteKind))
            name = rng.choice(SITE_NAMES[kind]).format(n // len(communes) + 1)
            if (commune.pk, name) in used:
                name = f"{name} ({n})"
            used.add((commune.pk, name))
            site = Site(project=project, commune=commune, name=name, kind=kind, geometry=_geometry(kind, commune, rng))
            site._team = teams[n % len(teams)]
            sites.append(site)
    Site.objects.bulk_create(sites)
    start = first_day
    round_sites = {}
    for site in sites:
        title, checklist = WORK[site.kind]
        recurring.append(RecurringOrder(
            site=site, team=site._team, title=title, rule=rng.choice(RULES), starts_on=start,
            holiday_rule=rng.choice([HolidayRule.NEXT, HolidayRule.NEXT, HolidayRule.SKIP, HolidayRule.PREVIOUS]),
            planned_hours=Decimal(rng.choice(["2", "3", "4"])), checklist=checklist,
        ))  # fmt: skip
        round_sites.setdefault(site._team.pk, site)
    for team_id, site in round_sites.items():
        recurring.append(RecurringOrder(
            site=site, team_id=team_id, title="Daily maintenance round", rule=ROUND_RULE, starts_on=start,
            holiday_rule=HolidayRule.SKIP, planned_hours=Decimal("4"), checklist="Litter picked\nBins emptied",
        ))  # fmt: skip
    RecurringOrder.objects.bulk_create(recurring)

    orders = []
    for r in recurring:
        for order in new_work_orders(r, first_day, last_day):
            if order.date < today:
                roll = rng.random()
                if roll < 0.03:
                    order.status, order.cancel_reason = WorkOrderStatus.CANCELLED, rng.choice(CANCEL_REASONS)
                else:
                    order.status = WorkOrderStatus.DONE
                    order.checklist = [{**item, "done": True} for item in order.checklist]
                order.status_changed_on = order.date
            orders.append(order)
    _insert(WorkOrder, [
        {"recurring_id": o.recurring.pk, "occurrence": o.occurrence, "site_id": o.site_id, "team_id": o.team_id,
         "title": o.title, "date": o.date, "planned_hours": o.planned_hours, "checklist": o.checklist,
         "status": o.status, "status_changed_on": o.status_changed_on, "cancel_reason": o.cancel_reason,
         "moved_from": None, "report": "",
         "start_time": None, "unticked_reason": ""}
        for o in orders
    ])  # fmt: skip
    ids = {(r, day): pk for pk, r, day in WorkOrder.objects.values_list("pk", "recurring_id", "occurrence")}
    for o in orders:
        o.pk = ids[(o.recurring.pk, o.occurrence)]

    # --- time entries: every worker of an environmental team, every working day of their contracts --------------
    by_team_day = {}
    for order in orders:
        if order.status != WorkOrderStatus.CANCELLED and order.date < today:
            by_team_day.setdefault((order.team_id, order.date), []).append(order)
    env_teams = set(Team.objects.filter(project__in=projects).values_list("pk", flat=True))
    contracts = (
        EmploymentContract.objects.filter(team__in=env_teams, start__lt=today)
        .filter(Q(last_day__isnull=True) | Q(last_day__gte=first_day))
        .order_by("participant_id", "start")
    )
    entries = []
    one_day = datetime.timedelta(days=1)
    recorded = set()
    for contract in contracts:
        daily = (contract.weekly_hours / 5).quantize(Decimal("0.01"))
        day = max(contract.start, first_day)
        end = min(contract.last_day or today, today - one_day)
        while day <= end:
            if day.weekday() < 5 and not is_public_holiday(day) and (contract.participant_id, day) not in recorded:
                day_orders = by_team_day.get((contract.team_id, day), [])
                if day_orders:
                    recorded.add((contract.participant_id, day))
                    left = daily
                    if daily > 2 and rng.random() < 0.04:  # a coaching hour now and then, within the same day's hours
                        entries.append((contract.participant_id, day, Decimal("1"), EntryKind.COACHING, None,
                                        contract.team_id))  # fmt: skip
                        left -= 1
                    for i, order in enumerate(day_orders[:2]):
                        share = left if i == len(day_orders[:2]) - 1 else min(order.planned_hours, left / 2)
                        share = share.quantize(Decimal("0.01"))
                        if share > 0:
                            entries.append((contract.participant_id, day, share, EntryKind.WORK_ORDER, order.pk,
                                            contract.team_id))  # fmt: skip
                        left -= share
            day += one_day
    keys = ("participant_id", "date", "hours", "kind", "work_order_id", "team_id")
    _insert(TimeEntry, [{**dict(zip(keys, e, strict=True)), "note": ""} for e in entries])

    leader_team = Team.objects.filter(pk__in=env_teams, leader__email="teamleader@moulin.demo").order_by("pk").first()
    if leader_team is not None:
        TeamFeed.objects.create(team=leader_team)
    ctx.store["work_sites"] = sites
    _safety(ctx, orders, entries, leader_team)


#: the safety trainings the kinds of work require (course title, kind of site or of care work, months valid, why)
REQUIRED = [
    ("Working on roads: signage", SiteKind.PATH, None, 60, "Paths run along roads: the work zone is signed."),
    ("Work safety basics", SiteKind.RECYCLING_ROUTE, None, 36, "Broken glass, traffic and heavy containers."),
    ("Manual handling and back care", "", "Moving furniture", 36, "Lifting heavy furniture in people's homes."),
]
INCIDENTS = [
    (IncidentKind.ACCIDENT, Severity.FIRST_AID, "Cut on the hand by broken glass hidden in a bin.",
     "Wound cleaned and dressed from the team's first-aid kit.", "Cut-resistant gloves for every bin round."),
    (IncidentKind.NEAR_MISS, Severity.MINOR, "A car passed the work zone at speed; the signage had been moved.",
     "", "Signs checked at the start of every hour on roadside paths."),
    (IncidentKind.ACCIDENT, Severity.MEDICAL, "Twisted ankle on a slippery slope while mowing.",
     "Ice pack on the spot, then seen by a doctor.", "Safety boots with ankle support; slope mown across."),
    (IncidentKind.DANGEROUS_SITUATION, Severity.MINOR, "Wasps' nest in the hedge of the playground.",
     "", "Site closed off; the commune's technical service called."),
    (IncidentKind.ACCIDENT, Severity.SERIOUS, "Fall from the trailer while unloading branches.",
     "First aid, ambulance called.", "Unloading only from the ground; a step fitted to the trailer."),
    (IncidentKind.AGGRESSION, Severity.MINOR, "A passer-by insulted and threatened the team at the recycling point.",
     "", "Police informed; the team leader talked it over with the team."),
]  # fmt: skip


def _safety(ctx, orders, entries, leader_team):
    """A few required safety trainings (announced: in force in two weeks, so that the team leaders see who is to be
    trained, while the hours recorded until then stand) and about a hundred incidents over the two years,
    each on a work order of the day, with the workers who recorded hours on it."""
    from moulin.accounts.models import User
    from moulin.care.models import WorkKind
    from moulin.training.models import Course

    rng, today = ctx.rng, ctx.today
    courses = {c.title: c for c in Course.objects.filter(title__in=[r[0] for r in REQUIRED]).order_by("-pk")}
    kinds = {k.name: k for k in WorkKind.objects.filter(name__in=[r[2] for r in REQUIRED if r[2]])}
    RequiredTraining.objects.bulk_create([
        RequiredTraining(course=courses[title], site_kind=site_kind, work_kind=kinds.get(work_kind),
                         valid_months=months, note=why, applies_from=today + datetime.timedelta(days=14))
        for title, site_kind, work_kind, months, why in REQUIRED
        if title in courses and (site_kind or work_kind in kinds)
    ])  # fmt: skip
    on_order = {}
    for participant_id, _day, _hours, kind, order_id, _team in entries:
        if kind == EntryKind.WORK_ORDER:
            on_order.setdefault(order_id, []).append(participant_id)
    past = [o for o in orders if o.pk in on_order and o.date < today]
    chosen = rng.sample(past, min(len(past), 100))
    if leader_team is not None:  # the demo team leader's team has its own to follow up
        mine = [o for o in past if o.team_id == leader_team.pk]
        chosen += rng.sample(mine, min(len(mine), 4))
    reporters = dict(Team.objects.filter(pk__in={o.team_id for o in chosen}).values_list("pk", "leader_id"))
    users = set(User.objects.filter(pk__in=[v for v in reporters.values() if v]).values_list("pk", flat=True))
    incidents, involved = [], []
    zone = timezone.get_current_timezone()
    for order in sorted(chosen, key=lambda o: (o.date, o.pk)):
        kind, severity, what, aid, actions = rng.choice(INCIDENTS)
        age = (today - order.date).days
        status = IncidentStatus.OPEN if age < 20 else rng.choice([IncidentStatus.FOLLOWED_UP, IncidentStatus.CLOSED,
                                                                    IncidentStatus.CLOSED])  # fmt: skip
        leader = reporters.get(order.team_id)
        incident = SafetyIncident(
            team_id=order.team_id, work_order_id=order.pk, site_id=order.site_id, kind=kind, severity=severity,
            occurred_at=datetime.datetime.combine(order.date, datetime.time(rng.randint(8, 15), rng.choice([0, 30])),
                                                  tzinfo=zone),
            description=what, first_aid=aid, actions=actions,
            lost_days=rng.randint(1, 15) if severity == Severity.SERIOUS else 0,
            follow_up="" if status == IncidentStatus.OPEN else "Talked over at the team meeting; measure in place.",
            status=status, status_changed_on=None if status == IncidentStatus.OPEN else order.date,
            reported_by_id=leader if leader in users else None,
        )  # fmt: skip
        incident._people = rng.sample(on_order[order.pk], min(len(on_order[order.pk]), rng.choice([1, 1, 2])))
        incidents.append(incident)
    SafetyIncident.objects.bulk_create(incidents)
    through = SafetyIncident.involved.through
    for incident in incidents:
        involved += [through(safetyincident_id=incident.pk, participant_id=pk) for pk in set(incident._people)]
    through.objects.bulk_create(involved)
