"""Demo step: a training catalogue of 46 courses in the five kinds, their sessions over three years, enrolments
of workers (and of the public in web café courses), attendance day by day, completions, certificates and the
skills they add to workers' skills records."""

import datetime
import math
from decimal import Decimal

from moulin.access.roles import Role
from moulin.accounts.models import RoleAssignment
from moulin.core.calendar import next_working_days
from moulin.organisations.enums import OrganisationKind, PremisesKind
from moulin.organisations.models import Organisation, Premises
from moulin.sequences.services import advance_to
from moulin.training.enums import AttendanceStatus, CourseKind, EnrolmentStatus, ProviderKind, SkillSource
from moulin.training.models import Attendance, Certificate, Course, Enrolment, ParticipantSkill, Session, Skill
from moulin.training.services import CERTIFICATES

T, S, L, D, F = CourseKind.TECHNICAL, CourseKind.SOCIAL, CourseKind.LANGUAGE, CourseKind.DIGITAL, CourseKind.SAFETY
EGOV, RED_CROSS, AAA, INAP = "egov", "redcross", "aaa", "inap"
PARTNERS = {
    EGOV: ("Centre des technologies de l'information de l'État (CTIE)", "ministry"),
    RED_CROSS: ("Croix-Rouge luxembourgeoise", "association"),
    AAA: ("Association d'assurance accident (AAA)", "association"),
    INAP: ("Institut national des langues Luxembourg (INL)", "university"),
}

# title, kind, hours, hours per day, weekly (True: one or two days a week), certificate, provider, public, skills
CATALOGUE = [
    ("Green space maintenance", T, 40, 4, False, True, None, False, ["Lawn and hedge care", "Planting"]),
    ("Brush cutter and hedge trimmer", T, 16, 8, False, True, None, False, ["Brush cutter use"]),
    ("Small building repairs", T, 60, 6, False, True, None, False, ["Minor masonry", "Minor carpentry"]),
    ("Painting and decorating basics", T, 32, 4, False, True, None, False, ["Interior painting"]),
    ("Tiling basics", T, 24, 6, False, True, None, False, ["Tiling"]),
    ("Plumbing for minor repairs", T, 24, 6, False, True, None, False, ["Minor plumbing repairs"]),
    ("Vegetable gardening and composting", T, 30, 3, True, False, None, False, ["Planting", "Composting"]),
    ("Waste sorting and recycling tours", T, 12, 4, False, True, None, False, ["Waste sorting"]),
    ("Workshop tools and machines", T, 20, 4, False, True, None, False, ["Workshop machine use"]),
    ("Cleaning techniques for public buildings", T, 16, 4, False, True, None, False, ["Professional cleaning"]),
    ("Teamwork and communication", S, 12, 3, True, False, None, False, ["Teamwork"]),
    ("Working with elderly clients", S, 16, 4, False, True, None, False, ["Care-home visiting etiquette"]),
    ("Handling conflict at work", S, 8, 4, False, False, None, False, ["Conflict resolution"]),
    ("Job search workshop", S, 18, 3, True, False, None, False, ["Job search"]),
    ("CV and interview preparation", S, 9, 3, True, True, None, False, ["CV writing", "Job interviews"]),
    ("Managing a household budget", S, 6, 3, True, False, None, False, ["Budgeting"]),
    ("Accompanying people with reduced mobility", S, 16, 4, False, True, None, False, ["Mobility assistance"]),
    ("Working time, rights and duties", S, 6, 3, False, False, None, False, ["Labour law basics"]),
    ("Luxembourgish A1", L, 60, 3, True, True, INAP, False, ["Luxembourgish A1"]),
    ("Luxembourgish A2", L, 60, 3, True, True, INAP, False, ["Luxembourgish A2"]),
    ("French A1 for work", L, 45, 3, True, True, None, False, ["French A1"]),
    ("French A2 for work", L, 45, 3, True, True, None, False, ["French A2"]),
    ("German A1 for work", L, 45, 3, True, True, None, False, ["German A1"]),
    ("English for customer contact", L, 30, 3, True, True, None, False, ["English for customer contact"]),
    ("Reading and writing at work", L, 40, 2, True, False, None, False, ["Workplace literacy"]),
    ("Work vocabulary for green spaces", L, 12, 3, True, False, None, False, ["Green-space vocabulary"]),
    ("Computer basics", D, 12, 2, True, True, None, True, ["Computer basics"]),
    ("Internet and email", D, 8, 2, True, True, None, True, ["Email", "Web browsing"]),
    ("Smartphone for beginners", D, 6, 2, True, False, None, True, ["Smartphone use"]),
    ("MyGuichet.lu: procedures online", D, 6, 2, True, True, EGOV, True, ["E-government procedures"]),
    ("LuxTrust and electronic identity", D, 4, 2, True, True, EGOV, True, ["Electronic identity"]),
    ("Staying safe online", D, 6, 2, True, False, None, True, ["Online safety"]),
    ("Word processing", D, 12, 2, True, True, None, True, ["Word processing"]),
    ("Spreadsheet basics", D, 12, 2, True, True, None, True, ["Spreadsheets"]),
    ("Video calls with family and services", D, 4, 2, True, False, None, True, ["Video calls"]),
    ("Looking for a job online", D, 8, 2, True, True, None, True, ["Online job search"]),
    ("Digital photos and sharing", D, 6, 2, True, False, None, True, ["Digital photos"]),
    ("Web café workshop: your questions", D, 4, 2, True, False, None, True, ["Web browsing"]),
    ("First aid at work", F, 16, 8, False, True, RED_CROSS, False, ["First aid"]),
    ("Work safety basics", F, 8, 4, False, True, AAA, False, ["Work safety"]),
    ("Manual handling and back care", F, 4, 4, False, True, AAA, False, ["Manual handling"]),
    ("Working on roads: signage", F, 8, 4, False, True, AAA, False, ["Road works signage"]),
    ("Safe use of cleaning chemicals", F, 4, 4, False, True, None, False, ["Chemical safety"]),
    ("Fire safety and evacuation", F, 4, 4, False, True, None, False, ["Fire safety"]),
    ("Ladders and working at height", F, 8, 4, False, True, AAA, False, ["Working at height"]),
    ("Food hygiene (HACCP basics)", F, 8, 4, False, True, None, False, ["Food hygiene"]),
]
HOME_ORGANISATION = "CIGL Esch-sur-Alzette"
WEB_CAFES = "CIGS Web Cafés Lëtzebuerg"
SURNAMES_PUBLIC = ["Hansen", "Weis", "Kohn", "Bernard", "Duarte", "Lentz", "Mreches", "Neuens", "Olinger", "Simon"]


def _partners(ctx) -> dict:
    """The providers of external courses: reuse the partners demo's records, or create them."""
    from moulin.partners.models import Partner

    found = {}
    stored = {p.name: p for p in ctx.store.get("partners", []) if hasattr(p, "name")}
    egov = ctx.store.get("egov_partner") or ctx.store.get("e_government_partner")
    for key, (name, kind) in PARTNERS.items():
        if key == EGOV and egov is not None:
            found[key] = egov
            continue
        partner = stored.get(name) or Partner.objects.filter(name=name).first()
        if partner is None:
            partner = Partner.objects.create(name=name, kind=kind, level="national", website="https://example.lu")
        found[key] = partner
    return found


def _session_days(start: datetime.date, weekdays: set[int], n: int) -> list[datetime.date]:
    """The first ``n`` days from ``start`` on the session's weekdays, public holidays left out (as
    ``Session.days()`` leaves them out)."""
    return next_working_days(start, n, weekdays)


def _workers():
    """Workers by organisation, and (participant, organisation, first day, last day) of every contract."""
    from moulin.participants.models import EmploymentContract, Participant

    by_org: dict[int, list[int]] = {}
    for pk, org_id in Participant.objects.order_by("pk").values_list("pk", "organisation_id"):
        by_org.setdefault(org_id, []).append(pk)
    rows = EmploymentContract.objects.order_by("pk").values_list(
        "participant_id", "organisation_id", "start", "last_day"
    )
    return by_org, list(rows)


def generate(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    orgs = list(Organisation.objects.order_by("pk"))
    centre = next(o for o in orgs if o.kind == OrganisationKind.RESOURCE_CENTRE)
    by_name = {o.name: o for o in orgs}
    home = by_name.get(HOME_ORGANISATION, orgs[1])
    web = by_name.get(WEB_CAFES, centre)
    members = [o for o in orgs if o.kind == OrganisationKind.MEMBER]
    premises: dict[int, list] = {}
    for p in Premises.objects.order_by("pk"):
        premises.setdefault(p.organisation_id, []).append(p)
    web_cafes = [p for p in Premises.objects.filter(kind=PremisesKind.WEB_CAFE).order_by("pk")]
    coach = RoleAssignment.objects.filter(role=Role.COACH, organisation=home).select_related("user").first()
    coach_user = coach.user if coach else None
    partners = _partners(ctx)

    # ---- skills and courses
    skill_names = sorted({name for row in CATALOGUE for name in row[8]})
    kind_of = {name: row[1] for row in CATALOGUE for name in row[8]}
    Skill.objects.bulk_create([Skill(name=n, kind=kind_of[n]) for n in skill_names])
    skills = {s.name: s for s in Skill.objects.all()}
    courses = []
    for i, (title, kind, hours, hpd, weekly, cert, provider, public, _skills) in enumerate(CATALOGUE):
        if public:
            org = web if i % 3 else rng.choice([home, web])
        elif kind == T:
            org = home if i % 3 == 0 else rng.choice(members)
        elif kind in (L, F):
            org = centre
        else:
            org = rng.choice([centre, centre, home])
        course = Course(
            organisation=org, title=title, code=f"{kind[:3].upper()}-{i + 1:03d}", kind=kind, hours=Decimal(hours),
            provider_kind=ProviderKind.EXTERNAL if provider else ProviderKind.INTERNAL,
            provider=partners[provider] if provider else None, gives_certificate=cert, open_to_public=public,
            attendance_threshold=rng.choice([75, 80, 80, 80, 90]),
            description=f"{title}: a {CourseKind(kind).label.lower()} course of {hours} hours.",
        )  # fmt: skip
        course._row = (hpd, weekly, _skills)
        courses.append(course)
    Course.objects.bulk_create(courses)
    saved = list(Course.objects.order_by("pk"))
    Course.skills.through.objects.bulk_create(
        [
            Course.skills.through(course_id=c.pk, skill_id=skills[name].pk)
            for c, spec in zip(saved, courses, strict=True)
            for name in spec._row[2]
        ]
    )

    # ---- sessions over three years
    first = datetime.date(today.year - 2, 1, 8)
    horizon = today
    sessions, session_days = [], []
    for course, spec in zip(saved, courses, strict=True):
        hpd, weekly, _s = spec._row
        n_days = max(1, math.ceil(course.hours / hpd))
        per_year = 3 if course.open_to_public else rng.choice([1, 2, 2, 3])
        span_days = (horizon - first).days
        count = max(2, int(per_year * span_days / 365))
        starts = [
            first + datetime.timedelta(days=int(k * span_days / count) + rng.randint(0, 20)) for k in range(count)
        ]
        if rng.random() < 0.7:  # the next run of the course, enrolments open
            starts.append(today + datetime.timedelta(days=rng.randint(5, 60)))
        for start in starts:
            weekdays = set(rng.sample(range(5), rng.choice([1, 2]))) if weekly else {0, 1, 2, 3, 4}
            days = _session_days(start, weekdays, n_days)
            start = days[0]
            if course.open_to_public and web_cafes:
                place = rng.choice(web_cafes)
            else:
                place = rng.choice(premises.get(course.organisation_id) or [None])
            internal = course.provider_id is None
            trainer = coach_user if internal and course.organisation_id == home.pk and coach_user else None
            sessions.append(
                Session(
                    course=course,
                    start_date=start,
                    end_date=days[-1],
                    weekdays=",".join(str(d) for d in sorted(weekdays)),
                    hours_per_day=Decimal(hpd),
                    place=place,
                    trainer=trainer,
                    trainer_name="" if trainer else ctx.person_name(),
                    capacity=rng.randint(6, 10) if course.open_to_public else rng.randint(8, 15),
                )  # fmt: skip
            )
            session_days.append(days)
    # the home organisation's coach has a session that ended a few days ago (still to be closed: completions
    # and certificates are theirs to do) and one running today (attendance to take)
    green = next(c for c in saved if c.organisation_id == home.pk and c.gives_certificate and not c.provider_id)
    for first_day, n in ((today - datetime.timedelta(days=7), 5), (today - datetime.timedelta(days=2), 8)):
        days = _session_days(first_day, set(range(7)), n)
        sessions.append(Session(
            course=green, start_date=days[0], end_date=days[-1], weekdays="0,1,2,3,4,5,6", hours_per_day=Decimal(5),
            place=(premises.get(home.pk) or [None])[0], trainer=coach_user,
            trainer_name="" if coach_user else "Tom Weber",
            capacity=10,
        ))  # fmt: skip
        session_days.append(days)
    Session.objects.bulk_create(sessions)
    sessions = list(Session.objects.select_related("course").order_by("pk"))
    recent_session = sessions[-2]  # the coach's session that ended a few days ago: everyone came

    # ---- enrolments: workers employed on the session's first day, of the organising organisation (of any
    # organisation for the resource centre's network courses); in web café courses, members of the public too
    all_workers, contracts = _workers()
    enrolments = []
    for session, days in zip(sessions, session_days, strict=True):
        course = session.course
        on, org_id = session.start_date, course.organisation_id
        employed = [c for c in contracts if c[2] <= on and (c[3] is None or c[3] >= on)]
        pool = sorted({c[0] for c in employed if org_id == centre.pk or c[1] == org_id})
        if not contracts:  # no employment records in this network: any worker of the organisation
            pool = all_workers.get(org_id, []) if org_id != centre.pk else sorted(sum(all_workers.values(), []))
        over = session.end_date < today
        if session.start_date > today:  # popular upcoming sessions fill up and keep a waiting list
            wanted = session.capacity + rng.randint(-2, 3)
        else:
            wanted = int(session.capacity * rng.uniform(0.55, 1.0))
        n_public = wanted // 2 if course.open_to_public else 0
        chosen = rng.sample(pool, min(len(pool), wanted - n_public)) if pool else []
        if not chosen:
            n_public = wanted if course.open_to_public else 0
        people = [("w", pk) for pk in chosen] + [("p", None)] * n_public
        rng.shuffle(people)
        enrolled_on = session.start_date - datetime.timedelta(days=rng.randint(5, 40))
        for position, (who, pk) in enumerate(people):
            status = EnrolmentStatus.ENROLLED if position < session.capacity else EnrolmentStatus.WAITING
            if status == EnrolmentStatus.ENROLLED and rng.random() < 0.04:
                status = EnrolmentStatus.CANCELLED  # dropped out before the start
            if status == EnrolmentStatus.WAITING and over:
                status = EnrolmentStatus.CANCELLED
            e = Enrolment(session=session, participant_id=pk, status=status,
                          enrolled_on=min(enrolled_on + datetime.timedelta(days=position), today))  # fmt: skip
            if who == "p":
                name = f"{rng.choice(['Marie', 'Jos', 'Lily', 'Henri', 'Alice', 'Fernande', 'Ahmed', 'Yuki'])} "
                name += rng.choice(SURNAMES_PUBLIC)
                e.public_name = name
                e.public_email = f"{name.lower().replace(' ', '.')}@example.lu" if rng.random() < 0.6 else ""
            e._days = days
            enrolments.append(e)

    # ---- attendance on the days held, completion of finished sessions, certificates, skills
    attendance, certificates, skill_rows = [], [], []
    have_skill: set[tuple[int, int]] = set()
    course_skills: dict[int, list[int]] = {}
    for course_id, skill_id in Course.skills.through.objects.values_list("course_id", "skill_id"):
        course_skills.setdefault(course_id, []).append(skill_id)
    numbers: dict[int, int] = {}
    for e in enrolments:
        if e.status not in (EnrolmentStatus.ENROLLED,):
            continue
        held = [d for d in e._days if d < today]  # today's sheet is left for the trainer to take
        reliability = rng.choice([0.97, 0.95, 0.92, 0.9, 0.85, 0.7, 0.5])
        if e.session_id == recent_session.pk:
            reliability = 1.0
        present = 0
        for day in held:
            roll = rng.random()
            if roll < reliability:
                status = AttendanceStatus.PRESENT
                present += 1
            elif roll < reliability + (1 - reliability) / 2:
                status = AttendanceStatus.EXCUSED
            else:
                status = AttendanceStatus.ABSENT
            attendance.append(Attendance(enrolment=e, date=day, status=status, recorded_by=None))
        session = e.session
        course = session.course
        closed = session.end_date < today - datetime.timedelta(days=14)  # recent sessions are still to be closed
        if closed and held and present * 100 >= course.attendance_threshold * len(e._days):
            e.status = EnrolmentStatus.COMPLETED
            e.completed_on = min(session.end_date + datetime.timedelta(days=rng.randint(0, 6)), today)
            if course.gives_certificate:
                year = e.completed_on.year
                numbers[year] = numbers.get(year, 0) + 1
                certificates.append(Certificate(enrolment=e, number=CERTIFICATES.format(numbers[year], year=year),
                                                issued_on=e.completed_on))  # fmt: skip
            if e.participant_id:
                for skill_id in course_skills.get(course.pk, []):
                    if (e.participant_id, skill_id) in have_skill:
                        continue
                    have_skill.add((e.participant_id, skill_id))
                    skill_rows.append(ParticipantSkill(participant_id=e.participant_id, skill_id=skill_id,
                                                       source=SkillSource.TRAINING, acquired_on=e.completed_on,
                                                       enrolment=e))  # fmt: skip
    # statuses are settled before writing: one insert per table, no update
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    for year, last in numbers.items():  # the next certificate issued follows the demo's
        advance_to(CERTIFICATES, organisation_id=None, year=year, last=last)
    # a coach records skills learnt on the job for some workers
    skill_ids = [s.pk for s in skills.values()]
    everyone = sorted(sum(all_workers.values(), []))
    for pk in everyone[:: max(1, len(everyone) // 150)]:
        skill_id = rng.choice(skill_ids)
        if (pk, skill_id) not in have_skill:
            have_skill.add((pk, skill_id))
            skill_rows.append(ParticipantSkill(participant_id=pk, skill_id=skill_id, source=SkillSource.COACH,
                                               acquired_on=ctx.date_between(first, today),
                                               note="Learnt on the job", recorded_by=coach_user))  # fmt: skip
    ParticipantSkill.objects.bulk_create(skill_rows, batch_size=2000)
    ctx.store["training_courses"] = saved
    ctx.store["training_sessions"] = sessions
