"""Demo step of the web cafés: the 16 web cafés of the seed (one per web-café project, at the organisation's web café
premises in the project's commune), their weekly opening hours and a few closures, the visits of every open day of
this year and last by age band, and their public courses: the training sessions of public courses held at their
premises (from the training step), with the public's registrations and consent, plus a coming course where a
web café has none, full ones keeping a waiting list. Deterministic (the shared seeded generator), bulk inserts."""

import datetime
from decimal import Decimal

from moulin.core.calendar import is_public_holiday, next_working_days
from moulin.organisations.enums import PremisesKind
from moulin.organisations.models import Premises
from moulin.projects.enums import ServiceLine
from moulin.projects.models import Project
from moulin.training.enums import EnrolmentStatus
from moulin.training.models import Course, Enrolment, Session
from moulin.webcafe.enums import Channel, Language, Level, Topic
from moulin.webcafe.models import Closure, OpeningSlot, PublicCourse, Registration, Venue, VisitDay

#: weekly hours: (weekday, opens, closes); every web café opens in the afternoons from Monday to Friday, where the
#: courses are held, and some in the mornings and on Saturday
T = datetime.time
AFTERNOONS = [(d, T(13, 30), T(18, 0)) for d in range(5)]
MORNINGS = [[], [(1, T(9, 0), T(12, 0)), (3, T(9, 0), T(12, 0))], [(d, T(9, 0), T(12, 0)) for d in range(5)]]
SATURDAY = [[], [(5, T(9, 0), T(12, 30))]]
#: the course's start in the afternoon
COURSE_START = T(14, 0)

TOPIC_BY_TITLE = [
    ("MyGuichet", Topic.EGOVERNMENT), ("LuxTrust", Topic.EGOVERNMENT), ("Smartphone", Topic.SMARTPHONE),
    ("safe", Topic.SAFETY), ("Video calls", Topic.COMMUNICATION), ("email", Topic.COMMUNICATION),
    ("Word", Topic.OFFICE), ("Spreadsheet", Topic.OFFICE), ("job", Topic.JOBSEARCH), ("photos", Topic.SMARTPHONE),
]  # fmt: skip
PUBLIC_FIRST = ["Marie", "Jos", "Lily", "Henri", "Alice", "Fernande", "Ahmed", "Yuki", "Léon", "Irène", "Nando"]
PUBLIC_LAST = ["Schroeder", "Kayser", "Weis", "Conter", "Marx", "Gales", "Hoscheit", "Lentz", "Mreches", "Frisch"]


def topic_of(title: str) -> str:
    return next((topic for word, topic in TOPIC_BY_TITLE if word.lower() in title.lower()), Topic.BASICS)


def _end(start: datetime.time, hours: Decimal) -> datetime.time:
    minutes = start.hour * 60 + start.minute + int(hours * 60)
    return T(min(minutes // 60, 18), minutes % 60 if minutes // 60 < 18 else 0)


def generate(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    users = ctx.store.get("users", {})
    leader = users.get("teamleader@moulin.demo")
    home = ctx.store.get("home_organisation")
    home_commune = home.seat_commune_id if home is not None else None  # the demo team leader's web café is there

    # ---- venues: one per web-café project, at the organisation's web café premises (new premises if it has none
    # free in that commune)
    projects = list(
        Project.objects.filter(service_line=ServiceLine.WEB_CAFE).select_related("organisation")
        .prefetch_related("communes").order_by("pk")
    )  # fmt: skip
    free = {}
    for p in Premises.objects.filter(kind=PremisesKind.WEB_CAFE).order_by("pk"):
        free.setdefault(p.organisation_id, []).append(p)
    new_premises, placed = [], []
    for project in projects:
        commune = project.communes.all()[0] if project.communes.all() else project.organisation.seat_commune
        mine = free.get(project.organisation_id, [])
        premises = next((p for p in mine if p.commune_id == commune.pk), None)
        if premises is None and commune.pk != home_commune and mine:
            premises = mine[0]  # the organisation's web café premises elsewhere (the home commune's is there)
        if premises is None:
            premises = Premises(organisation=project.organisation, kind=PremisesKind.WEB_CAFE,
                                name=f"Web café {commune.name}", address=ctx.street_address(),
                                postcode=f"L-{rng.randint(1110, 9999)}", locality=commune.name, commune=commune,
                                opening_hours="Mon–Fri 13:30–18:00")  # fmt: skip
            new_premises.append(premises)
        else:
            mine.remove(premises)
        placed.append((project, premises, commune))
    Premises.objects.bulk_create(new_premises)
    venues = []
    for project, premises, _commune in placed:
        locality = premises.locality
        venues.append(Venue(
            organisation=project.organisation, name=f"Web café {locality}", premises=premises,
            leader=None,
            computers=rng.randint(4, 14), has_printer=rng.random() < 0.7, has_wifi=True,
            step_free=rng.random() < 0.75,
            accessibility=rng.choice(["", "", "Lift to the first floor.", "Large-print keyboards and a screen reader.",
                                      "Entrance from the car park, no steps."]),
        ))  # fmt: skip
    # the demo team leader runs the web café of the home commune (or, on a day whose demo has none there, the first
    # web café of the home organisation, else the first of the network)
    if leader is not None and venues:
        chosen = next((v for v in venues if v.premises.commune_id == home_commune), None)
        chosen = chosen or next((v for v in venues if home is not None and v.organisation_id == home.pk), venues[0])
        chosen.leader = leader
    names = set()
    for venue in venues:  # two web cafés of one organisation in one locality keep distinct names
        n = 2
        base = venue.name
        while (venue.organisation_id, venue.name) in names:
            venue.name, n = f"{base} ({n})", n + 1
        names.add((venue.organisation_id, venue.name))
    Venue.objects.bulk_create(venues)
    venues = list(Venue.objects.select_related("premises").order_by("pk"))

    # ---- opening hours (valid since two years ago), a summer closure last year, a coming closure at some
    since = datetime.date(today.year - 2, 1, 1)
    slots, closures, weekly = [], [], {}
    for venue in venues:
        hours = AFTERNOONS + rng.choice(MORNINGS) + rng.choice(SATURDAY)
        weekly[venue.pk] = {}
        for weekday, opens, closes in hours:
            slots.append(OpeningSlot(venue=venue, weekday=weekday, opens=opens, closes=closes, valid_from=since))
            weekly[venue.pk].setdefault(weekday, []).append((opens, closes))
        first = datetime.date(today.year - 1, 8, rng.choice([1, 8, 15]))
        closures.append(Closure(venue=venue, first_day=first, last_day=first + datetime.timedelta(days=13),
                                reason="Congé collectif d'été"))  # fmt: skip
    OpeningSlot.objects.bulk_create(slots)

    # ---- public courses: the training sessions of public courses held at a venue's premises
    by_premises = {v.premises_id: v for v in venues}
    sessions = list(
        Session.objects.filter(place__in=list(by_premises), course__open_to_public=True)
        .select_related("course").order_by("pk")
    )  # fmt: skip
    # a venue without a coming course gets one (a popular one: full, with a waiting list)
    public_courses = list(Course.objects.filter(open_to_public=True).order_by("pk"))
    upcoming = {by_premises[s.place_id].pk for s in sessions if s.end_date >= today}
    added = []
    for venue in venues:
        if venue.pk in upcoming or not public_courses:
            continue
        course = rng.choice(public_courses)
        weekday = rng.choice([1, 2, 3])
        days = next_working_days(today + datetime.timedelta(days=rng.randint(3, 30)), rng.choice([2, 3, 4]),
                                 [weekday])  # fmt: skip
        added.append(Session(course=course, start_date=days[0], end_date=days[-1], weekdays=str(weekday),
                             hours_per_day=Decimal(2), place=venue.premises, trainer_name=ctx.person_name(),
                             capacity=rng.randint(6, 10)))  # fmt: skip
    Session.objects.bulk_create(added)
    new_pks = {s.pk for s in added}
    sessions = list(
        Session.objects.filter(place__in=list(by_premises), course__open_to_public=True)
        .select_related("course").order_by("pk")
    )  # fmt: skip
    people = []
    for session in sessions:
        if session.pk not in new_pks:
            continue
        wanted = session.capacity + rng.randint(1, 3)  # full, and some wait
        for position in range(wanted):
            name = f"{rng.choice(PUBLIC_FIRST)} {rng.choice(PUBLIC_LAST)}"
            people.append(Enrolment(
                session=session, public_name=name,
                public_phone=f"+352 621 {rng.randint(100, 999)} {rng.randint(100, 999)}",
                status=EnrolmentStatus.ENROLLED if position < session.capacity else EnrolmentStatus.WAITING,
                enrolled_on=today - datetime.timedelta(days=rng.randint(0, 20)),
            ))  # fmt: skip
    Enrolment.objects.bulk_create(people)

    courses = []
    for session in sessions:
        venue = by_premises[session.place_id]
        courses.append(PublicCourse(
            venue=venue, session=session, topic=topic_of(session.course.title),
            level=rng.choice([Level.BEGINNER, Level.BEGINNER, Level.INTERMEDIATE]),
            language=rng.choice([Language.LUXEMBOURGISH, Language.FRENCH, Language.FRENCH, Language.GERMAN,
                                 Language.PORTUGUESE]),
            starts_at=COURSE_START, ends_at=_end(COURSE_START, session.hours_per_day),
        ))  # fmt: skip
    PublicCourse.objects.bulk_create(courses)
    course_of = dict(PublicCourse.objects.values_list("session_id", "pk"))
    registrations = []
    public = Enrolment.objects.filter(session__in=list(course_of), participant__isnull=True).order_by("pk")
    for pk, session_id, enrolled_on in public.values_list("pk", "session_id", "enrolled_on"):
        registrations.append(Registration(
            course_id=course_of[session_id], enrolment_id=pk, consent_on=enrolled_on,
            channel=rng.choice([Channel.PUBLIC_PAGE, Channel.COUNTER, Channel.COUNTER, Channel.PHONE]),
        ))  # fmt: skip
    Registration.objects.bulk_create(registrations)

    # closures avoid the days the venue holds a course
    course_days = {}
    for session in sessions:
        course_days.setdefault(by_premises[session.place_id].pk, set()).update(session.days())
    coming = [v for v in venues if rng.random() < 0.3]
    for venue in coming:
        first = today + datetime.timedelta(days=rng.randint(5, 40))
        closures.append(
            Closure(
                venue=venue,
                first_day=first,
                last_day=first + datetime.timedelta(days=2),
                reason=rng.choice(["Travaux", "Formation de l'équipe", "Déménagement du matériel"]),
            )
        )
    kept = []
    for closure in closures:
        span = {
            closure.first_day + datetime.timedelta(days=i)
            for i in range((closure.last_day - closure.first_day).days + 1)
        }
        if not span & course_days.get(closure.venue_id, set()):
            kept.append(closure)
    Closure.objects.bulk_create(kept)

    # ---- visits: every open day of this year and last, up to today, by age band
    closed = {}
    for c in kept:
        d = c.first_day
        while d <= c.last_day:
            closed.setdefault(c.venue_id, set()).add(d)
            d += datetime.timedelta(days=1)
    visits = []
    day = datetime.date(today.year - 1, 1, 1)
    while day <= today:
        if not is_public_holiday(day):
            for venue in venues:
                if day.weekday() not in weekly[venue.pk] or day in closed.get(venue.pk, ()):
                    continue
                size = venue.computers
                visits.append(VisitDay(
                    venue=venue, day=day, under_25=rng.randint(0, size // 2 + 2), age_25_49=rng.randint(1, size),
                    age_50_64=rng.randint(0, size), age_65_plus=rng.randint(0, size // 2 + 3),
                ))  # fmt: skip
        day += datetime.timedelta(days=1)
    VisitDay.objects.bulk_create(visits, batch_size=2000)
    ctx.store["web_cafes"] = venues
