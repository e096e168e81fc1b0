"""Demo step: worker pathways over three years and the current one — referrals, intake interviews, waiting
lists, ESF+ entry data, contracts and renewals under the employment measures, development plans, coaching
sessions, exits with a realistic spread of outcomes, and six-month follow-ups done or due.

About 700 hires in the current year (up to today) across the member organisations. The demo coach
(CIGL Esch-sur-Alzette) has overdue actions, contracts ending soon and follow-ups due; the demo team leader
leads a team with current members. Puts ``participants`` (list of saved Participant) in ``ctx.store``.
"""

import datetime
from decimal import Decimal

from moulin.organisations.enums import OrganisationKind
from moulin.participants import enums
from moulin.participants.models import (
    CoachingSession,
    EmploymentContract,
    EmploymentMeasure,
    EntryData,
    Exit,
    FollowUp,
    Intake,
    Participant,
    PlanAction,
    PlanGoal,
    PlanObstacle,
    PlanReview,
    Referral,
    SensitiveData,
)
from moulin.participants.validators import add_months, age_on

D = datetime.timedelta
HIRES_PER_YEAR = {0: 700, 1: 680, 2: 650}  # current year (up to today), last year, the year before
EARLY = 300  # hires in the second half of the year before the three years, so pathways are under way
SITUATIONS = [
    (enums.Situation.EMPLOYED_OPEN_ENDED, 14), (enums.Situation.EMPLOYED_FIXED_TERM, 16),
    (enums.Situation.EMPLOYED_AGENCY, 8), (enums.Situation.SELF_EMPLOYED, 2), (enums.Situation.EDUCATION, 9),
    (enums.Situation.QUALIFICATION, 5), (enums.Situation.JOB_SEARCHING, 32), (enums.Situation.INACTIVE, 8),
    (enums.Situation.OTHER, 6),
]  # fmt: skip
EMPLOYERS = ["Cactus", "Ville d'Esch-sur-Alzette", "CFL", "Cargolux", "Luxlait", "Manpower", "Randstad",
             "Ceratizit", "Goodyear Dudelange", "Jardinerie Schmit", "Boulangerie Jos & Jean-Marie", "Sodexo",
             "ISS Facility Services", "Hôpital Kirchberg", "Commune de Sanem", "Paul Wurth"]  # fmt: skip
REFERRERS = {enums.ReferralSource.PES: ["ADEM Esch-sur-Alzette", "ADEM Luxembourg", "ADEM Differdange",
                                        "ADEM Diekirch", "ADEM Wasserbillig"],
             enums.ReferralSource.SOCIAL_OFFICE: ["Office social Sud", "Office social Nordstad",
                                                  "Office social Hesperange", "ONIS"],
             enums.ReferralSource.SELF: [""],
             enums.ReferralSource.OTHER: ["Caritas", "Croix-Rouge", "Inter-Actions"]}  # fmt: skip
GOALS = ["Obtain a driving licence", "Reach A2 level in French", "Find a job on the open labour market",
         "Complete a safety training", "Stabilise housing", "Gain a recognised qualification",
         "Learn basic office software", "Settle debts with a payment plan"]  # fmt: skip
ACTIONS = ["Register for the language course", "Apply to three job offers", "Prepare a CV",
           "Book an appointment with the social office", "Ask ADEM for a training voucher",
           "Visit the childcare centre", "Open a MyGuichet account", "Attend the job fair",
           "Call the debt advice service", "Ask for a medical certificate"]  # fmt: skip
NOTES = ["Talked about the family situation and childcare; the worker is worried about the mornings.",
         "Health issues came up again; agreed to see the occupational doctor.",
         "Debt situation discussed in confidence; referred to the debt advice service.",
         "Motivation is good; the team leader reports steady work.",
         "Housing is unstable (sleeping at a friend's); contacted the social office.",
         "Prepared the interview with a private employer; rehearsed questions."]  # fmt: skip
REDIRECTS = ["Redirected to ADEM for a CAE with a municipality", "Needs health support first (redirected to the "
             "social office)", "Lives outside the area: redirected to the local initiative"]  # fmt: skip


def _weighted(rng, pairs):
    total = sum(w for _v, w in pairs)
    x = rng.uniform(0, total)
    for value, weight in pairs:
        x -= weight
        if x <= 0:
            return value
    return pairs[-1][0]


def generate(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    users = ctx.store["users"]
    orgs = [o for o in ctx.store["organisations"] if o.kind == OrganisationKind.MEMBER]
    home = ctx.store["home_organisation"]
    coach_user = users["coach@moulin.demo"]
    leader_user = users["teamleader@moulin.demo"]
    managers = {}
    for user in users.values():
        if user.email.startswith("manager."):
            managers[user.email.split("@")[0][len("manager.") :]] = user
    staff_of = {o.pk: [coach_user] if o.pk == home.pk else [managers.get(o.slug, coach_user)] for o in orgs}
    projects_by_org, teams_by_project = {}, {}
    for p in ctx.store["projects"]:
        projects_by_org.setdefault(p.organisation_id, []).append(p)
    for t in ctx.store["teams"]:
        teams_by_project.setdefault(t.project_id, []).append(t)
    leader_teams = [t for t in ctx.store["teams"] if t.leader_id == leader_user.pk]
    orgs = [o for o in orgs if o.pk in projects_by_org]
    measures = {m.code: m for m in EmploymentMeasure.objects.all()}
    weights = [3 if o.pk == home.pk else (1.3 if o.level == "local" else 1.0) for o in orgs]

    # --- who is hired when ---------------------------------------------------------------------------------
    plans = []  # (org, first contract start)
    year0 = today.year
    for back, n in HIRES_PER_YEAR.items():
        year = year0 - back
        last = today if back == 0 else datetime.date(year, 12, 31)
        for _ in range(n):
            plans.append((rng.choices(orgs, weights)[0], ctx.date_between(datetime.date(year, 1, 2), last)))
    for _ in range(EARLY):
        plans.append((rng.choices(orgs, weights)[0], ctx.date_between(datetime.date(year0 - 3, 7, 1),
                                                                     datetime.date(year0 - 3, 12, 31))))  # fmt: skip
    # people referred but not hired: waiting list, redirected, referred and not yet interviewed
    others = []
    for org in orgs:
        for _ in range(rng.randint(4, 10) + (6 if org.pk == home.pk else 0)):
            others.append((org, "waiting"))
        for _ in range(rng.randint(3, 8)):
            others.append((org, "redirected"))
        for _ in range(rng.randint(0, 3)):
            others.append((org, "referred"))

    numbers = iter(rng.sample(range(1_000_000, 9_999_999), len(plans) + len(others)))
    people = []
    for org, start in plans:
        p = _person(ctx, org, numbers, start - D(days=rng.randint(20, 80)))
        p._start = start
        people.append(p)
    for org, kind in others:
        referred = today - D(days=rng.randint(2, 20) if kind == "referred" else rng.randint(15, 240))
        p = _person(ctx, org, numbers, referred)
        p._start, p._kind = None, kind
        p.status = {"waiting": enums.PathwayStatus.WAITING, "redirected": enums.PathwayStatus.REDIRECTED}.get(
            kind, enums.PathwayStatus.REFERRED
        )
        people.append(p)
    for p in people:
        p.coach = staff_of[p.organisation_id][0]
    Participant.objects.bulk_create(people)

    referrals, intakes, entries, sensitive = [], [], [], []
    for p in people:
        source = _weighted(rng, [(enums.ReferralSource.PES, 70), (enums.ReferralSource.SOCIAL_OFFICE, 15),
                                 (enums.ReferralSource.SELF, 10), (enums.ReferralSource.OTHER, 5)])  # fmt: skip
        if source != enums.ReferralSource.PES and rng.random() < 0.5:
            p.jobseeker_number = ""
        referrals.append(Referral(participant=p, organisation_id=p.organisation_id, date=p.first_referred_on,
                                  source=source, referrer=rng.choice(REFERRERS[source])))  # fmt: skip
        kind = getattr(p, "_kind", "hired")
        if kind == "referred":
            continue
        intake_day = min(p.first_referred_on + D(days=rng.randint(3, 15)), today)
        outcome = {"hired": enums.IntakeOutcome.HIRE, "waiting": enums.IntakeOutcome.WAITING_LIST,
                   "redirected": enums.IntakeOutcome.REDIRECT}[kind]  # fmt: skip
        if kind == "hired" and rng.random() < 0.3:  # waited first, then hired
            intakes.append(Intake(participant=p, date=intake_day, coach=p.coach,
                                  outcome=enums.IntakeOutcome.WAITING_LIST))  # fmt: skip
            intake_day = min(p._start - D(days=rng.randint(1, 7)), today)
        intakes.append(Intake(participant=p, date=max(intake_day, p.first_referred_on), coach=p.coach,
                              outcome=outcome,
                              redirect_reason=rng.choice(REDIRECTS) if kind == "redirected" else ""))  # fmt: skip
        if kind != "hired":
            continue
        ltu = rng.random() < 0.55
        entries.append(EntryData(
            participant=p, recorded_on=p._start,
            labour_market_status=_weighted(rng, [(enums.LabourMarketStatus.LONG_TERM_UNEMPLOYED, 50),
                                                 (enums.LabourMarketStatus.UNEMPLOYED, 35),
                                                 (enums.LabourMarketStatus.INACTIVE, 7),
                                                 (enums.LabourMarketStatus.INACTIVE_NEET, 6),
                                                 (enums.LabourMarketStatus.EMPLOYED, 2)]),
            unemployed_since=p._start - D(days=rng.randint(400, 1500) if ltu else rng.randint(30, 360)),
            education_level=_weighted(rng, [("1", 10), ("2", 40), ("3", 35), ("4", 7), ("5", 3), ("6", 4),
                                            ("7", 1)]),
            household=rng.choice(enums.Household.values),
        ))  # fmt: skip
        if rng.random() < 0.45:
            s = SensitiveData(participant=p)
            for name in ("disability", "third_country_national", "foreign_background", "minority", "homeless"):
                answer = _weighted(rng, [("yes", 12), ("no", 70), ("refused", 8), ("", 10)])
                setattr(s, name, answer)
                if answer in ("yes", "no"):
                    setattr(s, f"{name}_consent", p._start)
            sensitive.append(s)
    Referral.objects.bulk_create(referrals)
    Intake.objects.bulk_create(intakes)
    EntryData.objects.bulk_create(entries)
    SensitiveData.objects.bulk_create(sensitive)

    hired = [p for p in people if p._start is not None]
    _contracts_and_exits(ctx, hired, projects_by_org, teams_by_project, leader_teams, measures, home)
    _plans_and_sessions(ctx, hired)
    for status in (enums.PathwayStatus.HIRED, enums.PathwayStatus.EXITED):
        Participant.objects.filter(pk__in=[p.pk for p in hired if p.status == status]).update(status=status)
    ctx.store["participants"] = people


def _person(ctx, org, numbers, referred):
    rng = ctx.rng
    age = int(min(max(rng.gauss(36, 11), 17), 63))
    birth = referred - D(days=age * 365 + rng.randint(0, 364))
    gender = _weighted(rng, [(enums.Gender.MAN, 58), (enums.Gender.WOMAN, 41), (enums.Gender.NON_BINARY, 1)])
    first = ctx.first_name()
    last = ctx.last_name()
    return Participant(
        organisation_id=org.pk, first_name=first, last_name=last, birth_date=birth, gender=gender,
        jobseeker_number=str(next(numbers)), phone=f"+352 691 {rng.randint(100, 999)} {rng.randint(100, 999)}",
        email=f"{first.lower()}.{last.lower().replace(' ', '')}{rng.randint(1, 999)}@example.lu",
        address=ctx.street_address(), postcode=f"L-{rng.randint(1000, 9999)}", locality=org.locality,
        residence_commune_id=org.seat_commune_id, first_referred_on=referred, age_at_entry=age_on(birth, referred),
    )  # fmt: skip


def _contracts_and_exits(ctx, hired, projects_by_org, teams_by_project, leader_teams, measures, home):
    rng, today = ctx.rng, ctx.today
    firsts = []
    leader_projects = {t.project_id for t in leader_teams}
    for p in hired:
        age = p.age_at_entry or 35
        roll = rng.random()
        if age < 30 and roll < 0.2:
            code, months, renew_months = "CAE", 12, 6
        elif age >= 30 and roll < 0.05:
            code, months, renew_months = "EIC", None, None
        else:
            code, months, renew_months = "ISE", rng.choice([6, 12, 12, 12]), 12
        projects = projects_by_org[p.organisation_id]
        project = rng.choice(projects)
        team = rng.choice(teams_by_project.get(project.pk) or [None])
        if p.organisation_id == home.pk and leader_teams and rng.random() < 0.5:
            team = rng.choice(leader_teams)
            project = next(x for x in projects if x.pk == team.project_id) if team.project_id in leader_projects \
                else project  # fmt: skip
            if team.project_id != project.pk:
                team = None
        planned = add_months(p._start, months) - D(days=1) if months else None
        c = EmploymentContract(
            participant=p, organisation_id=p.organisation_id, project=project, team=team,
            contract_type=enums.ContractType.OPEN_ENDED if months is None else enums.ContractType.FIXED_TERM,
            measure=measures[code], start=p._start, planned_end=planned,
            weekly_hours=Decimal(rng.choice(["40", "40", "40", "32", "30", "20"])), funder="Fonds pour l'emploi",
        )  # fmt: skip
        c._renew_months = renew_months
        c._max = measures[code].max_months
        firsts.append(c)
    renewals = []
    for c in firsts:
        c._person_last = c
        if c.planned_end and c.planned_end < today and rng.random() < 0.55:
            used = (c.planned_end - c.start).days // 30 + 1
            months = min(c._renew_months, (c._max or 99) - used)
            if months >= 3:
                r = EmploymentContract(
                    participant=c.participant, organisation_id=c.organisation_id, project=c.project, team=c.team,
                    contract_type=c.contract_type, measure=c.measure, start=c.planned_end + D(days=1),
                    planned_end=add_months(c.planned_end + D(days=1), months) - D(days=1),
                    weekly_hours=c.weekly_hours, funder=c.funder,
                )  # fmt: skip
                r._first = c
                renewals.append(r)
                c._person_last = r

    exits = []
    for c in firsts:
        last = c._person_last
        p = c.participant
        end = last.planned_end
        if rng.random() < 0.12:
            span = ((end or today) - last.start).days
            if span > 30:
                cut = last.start + D(days=rng.randint(20, span - 5))
                if cut < today:
                    last.ended_on, last.end_reason = cut, rng.choice(
                        [enums.EndReason.RESIGNATION, enums.EndReason.JOB_FOUND, enums.EndReason.DISMISSAL,
                         enums.EndReason.MUTUAL])  # fmt: skip
                    end = cut
        if end is None or end >= today:
            p.status = enums.PathwayStatus.HIRED
            continue
        p.status = enums.PathwayStatus.EXITED
        situation = _weighted(rng, SITUATIONS)
        if last.end_reason == enums.EndReason.JOB_FOUND:
            situation = rng.choice([enums.Situation.EMPLOYED_OPEN_ENDED, enums.Situation.EMPLOYED_FIXED_TERM])
        recorded = end + D(days=rng.randint(0, 27))
        e = Exit(
            participant=p, date=end,
            reason=enums.ExitReason.JOB_FOUND if situation in enums.EMPLOYED_SITUATIONS and last.ended_on
            else enums.ExitReason.CONTRACT_END if not last.ended_on else enums.ExitReason.RESIGNATION,
            situation=situation if recorded <= today else "",
            situation_recorded_on=recorded if recorded <= today else None,
            employer=rng.choice(EMPLOYERS) if situation in enums.EMPLOYED_SITUATIONS else "",
            qualification_gained=situation == enums.Situation.QUALIFICATION or rng.random() < 0.1,
            next_steps="Keep in touch with the ADEM adviser; continue the language course.",
        )  # fmt: skip
        exits.append(e)
    EmploymentContract.objects.bulk_create(firsts, batch_size=500)
    for r in renewals:
        r.renewal_of = r._first
    EmploymentContract.objects.bulk_create(renewals, batch_size=500)
    Exit.objects.bulk_create(exits, batch_size=500)
    follow_ups = []
    for e in exits:
        due = add_months(e.date, 6)
        f = FollowUp(participant=e.participant, exit=e, due_on=due)
        if due < today:
            recent = (today - due).days < 75
            if rng.random() < (0.45 if recent else 0.9):
                f.done_on = min(due + D(days=rng.randint(0, 20)), today)
                f.situation = _weighted(rng, SITUATIONS)
                f.employer = rng.choice(EMPLOYERS) if f.situation in enums.EMPLOYED_SITUATIONS else ""
        follow_ups.append(f)
    FollowUp.objects.bulk_create(follow_ups, batch_size=500)


def _plans_and_sessions(ctx, hired):
    rng, today = ctx.rng, ctx.today
    obstacles, goals, reviews, sessions = [], [], [], []
    for p in hired:
        start = p._start
        for kind in rng.sample(enums.Obstacle.values, rng.randint(1, 3)):
            resolved = rng.random() < 0.4 and start + D(days=300) < today
            resolved_on = start + D(days=rng.randint(60, 300)) if resolved else None
            obstacles.append(PlanObstacle(participant=p, kind=kind, identified_on=start, resolved_on=resolved_on))
        for title in rng.sample(GOALS, rng.randint(1, 2)):
            target = start + D(days=rng.randint(120, 500))
            goals.append(PlanGoal(participant=p, title=title, target_date=target,
                                  achieved_on=target if target < today and rng.random() < 0.5 else None))  # fmt: skip
        horizon = min(today, start + D(days=540))
        day = start + D(days=rng.randint(5, 20))
        count = 0
        while day < horizon and count < 6:
            count += 1
            sessions.append(CoachingSession(
                participant=p, date=day, coach=p.coach, kind=rng.choice(enums.SessionKind.values),
                notes=rng.choice(NOTES), next_steps=rng.choice(ACTIONS),
            ))  # fmt: skip
            day += D(days=rng.randint(30, 75))
        review = start + D(days=180)
        while review < horizon:
            summary = "Plan reviewed with the worker; obstacles and actions updated."
            reviews.append(PlanReview(participant=p, date=review, coach=p.coach, summary=summary))
            review += D(days=180)
    PlanObstacle.objects.bulk_create(obstacles, batch_size=1000)
    PlanGoal.objects.bulk_create(goals, batch_size=1000)
    PlanReview.objects.bulk_create(reviews, batch_size=1000)
    CoachingSession.objects.bulk_create(sessions, batch_size=1000)
    goals_by_person = {}
    for g in goals:
        goals_by_person.setdefault(g.participant_id, []).append(g)
    actions = []
    for p in hired:
        active = p.status == enums.PathwayStatus.HIRED
        for goal in goals_by_person.get(p.pk, []):
            for _ in range(rng.randint(1, 2)):
                due = p._start + D(days=rng.randint(20, 400))
                done = due < today and (not active or rng.random() < 0.75)
                if not active and due >= today:
                    continue
                actions.append(PlanAction(
                    participant=p, goal=goal, description=rng.choice(ACTIONS), owner=p.coach,
                    owner_is_participant=rng.random() < 0.6, due_date=due,
                    status=enums.ActionStatus.DONE if done else enums.ActionStatus.OPEN,
                    done_on=min(due, today) if done else None,
                ))  # fmt: skip
    PlanAction.objects.bulk_create(actions, batch_size=1000)
