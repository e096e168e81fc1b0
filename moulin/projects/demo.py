"""Demo step: needs in the covered communes, 120+ long-term projects and short-term ones in five domains
(with the service lines: 24 community-care services, 16 web cafés, 26 environmental teams in 40+ communes),
their teams and leaders, partners, and indicators with targets and actuals over several years."""

from datetime import date, timedelta
from decimal import Decimal

from moulin.access.roles import Role
from moulin.accounts.models import RoleAssignment, User
from moulin.organisations.enums import OrganisationKind
from moulin.organisations.models import Agreement, Domain
from moulin.partners.models import Partnership
from moulin.projects.enums import NeedStatus, Priority, ProjectStatus, RaisedBy, ServiceLine, Term
from moulin.projects.models import Indicator, IndicatorValue, Need, Project, Team

SL = ServiceLine
HOME_TEAM_LEADER = "teamleader@moulin.demo"

NAMES = {
    "environment": ["Entretien des sentiers", "Parcs et aires de jeux", "Tournée de tri et recyclage",
                    "Jardins communautaires", "Renaturation des berges", "Vergers à hautes tiges",
                    "Entretien des cimetières", "Lutte contre les plantes invasives"],
    "community-care": ["Petits travaux chez les seniors", "Courses et accompagnement", "Jardinage pour seniors",
                       "Repair café", "Transport accompagné", "Visites de convivialité", "Épicerie sociale"],
    "ict": ["Cours informatiques pour seniors", "Atelier numérique", "Démarches en ligne accompagnées",
            "Recyclage d'ordinateurs", "Club de programmation"],
    "education-training": ["Atelier d'orientation professionnelle", "Cours de luxembourgeois", "Formation de base",
                           "Soutien scolaire", "Préparation au permis de conduire", "Atelier CV et entretien"],
    "culture-tourism": ["Entretien du patrimoine", "Accueil touristique", "Sentier culturel", "Atelier de couture",
                        "Fête du village", "Musée rural"],
}  # fmt: skip
SERVICE_NAMES = {SL.COMMUNITY_CARE: "Service de proximité", SL.WEB_CAFE: "Web café",
                 SL.ENVIRONMENTAL_TEAM: "Équipe environnement"}  # fmt: skip
SERVICE_DOMAIN = {SL.COMMUNITY_CARE: "community-care", SL.WEB_CAFE: "ict", SL.ENVIRONMENTAL_TEAM: "environment"}
#: (name, unit, low, high[, source]): an indicator with a source is computed from the records, never typed in
INDICATORS = {
    "environment": [
        ("Sites maintained", "sites", 8, 30, "sites_maintained"),
        ("Hours of work", "hours", 2000, 9000, "hours_worked"),
    ],
    "community-care": [
        ("Interventions", "interventions", 150, 900, "interventions"),
        ("Beneficiaries", "persons", 40, 250, "beneficiaries_served"),
    ],
    "ict": [("Visits", "visits", 800, 5000), ("Course participants", "persons", 20, 150)],
    "education-training": [("Participants trained", "persons", 10, 80), ("Certificates", "certificates", 5, 40)],
    "culture-tourism": [("Visitors", "visitors", 500, 8000), ("Events", "events", 3, 20)],
}
NEED_TITLES = {
    "environment": ["Overgrown footpaths", "Playground maintenance", "Litter along the river", "Recycling tour",
                    "Neglected public park", "Green waste collection"],
    "community-care": ["Elderly people living alone", "Small repairs for seniors", "Shopping help",
                       "Transport to the doctor", "Isolation of residents in the old town"],
    "ict": ["No internet access for seniors", "Help with online forms", "Computer courses for jobseekers"],
    "education-training": ["Young people without qualifications", "Language courses for newcomers",
                           "Job search workshops"],
    "culture-tourism": ["Heritage site falling into disrepair", "Tourist information point", "Local history trail"],
}  # fmt: skip
DECLINE_REASONS = ["Already covered by a commercial service in the commune.",
                   "Falls within the craft sector: referred to local craftsmen.",
                   "The commune council chose another priority this year.",
                   "Not enough jobseekers available for this work locally."]  # fmt: skip


def _communes_of(org, agreements, communes_by_pk):
    return [communes_by_pk[pk] for pk in sorted(agreements.get(org.pk, ()))] or [org.seat_commune]


def generate(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    home = ctx.store["home_organisation"]
    domains = {d.code: d for d in Domain.objects.all()}
    orgs = [o for o in ctx.store["organisations"] if o.kind == OrganisationKind.MEMBER]
    by_name = ctx.store["organisation_by_name"]
    communes_by_pk = {c.pk: c for c in ctx.store["communes"].values()}
    agreements = {}
    for org_id, commune_id in Agreement.objects.current(today).values_list("organisation", "commune"):
        agreements.setdefault(org_id, set()).add(commune_id)

    # --- projects ---------------------------------------------------------------------------------------------
    specs = []  # (org, domain code, service line, term, communes)

    def has(org, code):
        return code in org._domains

    care_orgs = [o for o in orgs if has(o, "community-care")]
    for org in care_orgs:
        specs.append(
            (org, "community-care", SL.COMMUNITY_CARE, Term.LONG, _communes_of(org, agreements, communes_by_pk))
        )
    care_extra = by_name["CIGS Services de proximité"]
    while sum(1 for s in specs if s[2] == SL.COMMUNITY_CARE) < 24:
        specs.append((care_extra, "community-care", SL.COMMUNITY_CARE, Term.LONG,
                      [rng.choice(list(ctx.store["communes"].values()))]))  # fmt: skip
    ict_orgs = [o for o in orgs if has(o, "ict") and o.level != "sectoral"]
    for org in ict_orgs[:16]:
        specs.append((org, "ict", SL.WEB_CAFE, Term.LONG, _communes_of(org, agreements, communes_by_pk)[:1]))
    webcafes = by_name["CIGS Web Cafés Lëtzebuerg"]
    covered = sorted({pk for ids in agreements.values() for pk in ids})
    web_communes = [pk for pk in covered if not any(s[2] == SL.WEB_CAFE and communes_by_pk[pk] in s[4] for s in specs)]
    rng.shuffle(web_communes)
    while sum(1 for s in specs if s[2] == SL.WEB_CAFE) < 16:
        specs.append((webcafes, "ict", SL.WEB_CAFE, Term.LONG, [communes_by_pk[web_communes.pop()]]))
    env_orgs = [o for o in orgs if has(o, "environment") and o.level != "sectoral"]
    for org in env_orgs:
        specs.append((org, "environment", SL.ENVIRONMENTAL_TEAM, Term.LONG,
                      _communes_of(org, agreements, communes_by_pk)))  # fmt: skip
    env_org = by_name["CIGS Environnement et Patrimoine"]
    env_done = {c.pk for s in specs if s[2] == SL.ENVIRONMENTAL_TEAM for c in s[4]}
    remaining = [pk for pk in covered if pk not in env_done]
    while sum(1 for s in specs if s[2] == SL.ENVIRONMENTAL_TEAM) < 26:
        pick = [communes_by_pk[remaining.pop()]] if remaining else [communes_by_pk[rng.choice(covered)]]
        specs.append((env_org, "environment", SL.ENVIRONMENTAL_TEAM, Term.LONG, pick))
    assert sum(1 for s in specs if s[2] == SL.ENVIRONMENTAL_TEAM) == 26
    # other long-term projects: two per organisation, in its domains
    for org in orgs:
        for _ in range(2):
            code = rng.choice(org._domains)
            served = _communes_of(org, agreements, communes_by_pk)
            specs.append((org, code, "", Term.LONG, rng.sample(served, min(len(served), rng.randint(1, 3)))))
    # short-term projects: one or two per organisation
    for org in orgs:
        for _ in range(rng.choice([1, 1, 2])):
            code = rng.choice(list(domains))
            served = _communes_of(org, agreements, communes_by_pk)
            specs.append((org, code, "", Term.SHORT, [rng.choice(served)]))

    projects, used_names = [], set()
    for org, code, line, term, served in specs:
        base = SERVICE_NAMES[line] if line else rng.choice(NAMES[code])
        place = served[0].name if len(served) == 1 else org.display_name.replace("CIGR ", "").replace("CIGL ", "")
        name = f"{base} {place}" if line or len(served) == 1 else f"{base} — {place}"
        n = 2
        while name in used_names:
            name, n = f"{base} {place} ({n})", n + 1
        used_names.add(name)
        if term == Term.LONG:
            start = date(rng.randint(2001, today.year - 2), rng.choice([1, 3, 4, 9]), 1)
            end = None
            status = ProjectStatus.RUNNING if rng.random() < 0.93 else ProjectStatus.SUSPENDED
        else:
            start = ctx.date_between(date(today.year - 4, 1, 1), today + timedelta(days=120))
            end = start + timedelta(days=rng.choice([90, 180, 270, 365, 540]))
            status = (ProjectStatus.PLANNED if start > today else
                      ProjectStatus.CLOSED if end < today else ProjectStatus.RUNNING)  # fmt: skip
        project = Project(
            organisation=org, name=name, domain=domains[code], service_line=line, term=term, start=start, end=end,
            status=status, objectives=f"Create jobs for jobseekers while meeting a local need: {base.lower()}.",
            budget=Decimal(rng.randrange(40_000, 600_000, 500)),
        )  # fmt: skip
        project._served = served
        projects.append(project)
    Project.objects.bulk_create(projects)
    Through = Project.communes.through
    Through.objects.bulk_create([Through(project_id=p.pk, commune_id=c.pk) for p in projects for c in p._served])

    # --- needs --------------------------------------------------------------------------------------------------
    serving = {}
    for p in projects:
        for c in p._served:
            serving.setdefault(c.pk, []).append(p)
    partners_by_commune = ctx.store.get("partners_by_commune", {})
    national = ctx.store.get("national_partners", [])
    org_in = {}
    for org_id, ids in agreements.items():
        for pk in ids:
            org_in.setdefault(pk, []).append(org_id)
    needs = []
    statuses = ([NeedStatus.ADDRESSED] * 8 + [NeedStatus.IDENTIFIED] * 4 + [NeedStatus.ASSESSED] * 5
                + [NeedStatus.DECLINED] * 3)  # fmt: skip
    for i in range(300):
        commune = communes_by_pk[covered[i % len(covered)]]
        status = rng.choice(statuses) if i >= len(covered) else [NeedStatus.IDENTIFIED, NeedStatus.ASSESSED,
                                                                  NeedStatus.ADDRESSED][i % 3]  # fmt: skip
        if commune.name == "Esch-sur-Alzette" and i // len(covered) < 4:
            status = list(NeedStatus)[i // len(covered)]
        candidates = [p for p in serving.get(commune.pk, []) if p.start <= today]
        if status == NeedStatus.ADDRESSED and not candidates:
            status = NeedStatus.ASSESSED
        answered = []
        if status == NeedStatus.ADDRESSED:
            answered = rng.sample(candidates, min(len(candidates), rng.choice([1, 1, 2])))
            if commune.name == "Esch-sur-Alzette" and i // len(covered) == 2:
                # the shop window: the home organisation always shows a long-term project answering a need
                answered = [p for p in candidates if p.organisation_id == home.pk and p.term == Term.LONG][
                    :1
                ] or answered
        code = answered[0].domain.code if answered else rng.choice(list(NEED_TITLES))
        raised_by = rng.choice(list(RaisedBy))
        partner = None
        if raised_by == RaisedBy.PARTNER:
            partner = rng.choice(partners_by_commune.get(commune.pk) or national or [None])
            if partner is None:
                raised_by = RaisedBy.COUNCIL
        raised_on = ctx.date_between(date(today.year - 5, 1, 1), today)
        if i % 7 == 0:
            raised_on = ctx.date_between(date(today.year, 1, 1), today)
        changed = None
        if status != NeedStatus.IDENTIFIED:
            changed = min(today, raised_on + timedelta(days=rng.randint(15, 240)))
        need = Need(
            commune=commune, title=rng.choice(NEED_TITLES[code]), raised_by=raised_by, partner=partner,
            raised_on=raised_on, domain=domains[code], priority=rng.choice(list(Priority)), status=status,
            status_changed_on=changed,
            description=f"Raised with the local officials of {commune.name}: {rng.choice(NEED_TITLES[code]).lower()}.",
            decline_reason=rng.choice(DECLINE_REASONS) if status == NeedStatus.DECLINED else "",
            organisation_id=rng.choice(org_in[commune.pk]) if org_in.get(commune.pk) else None,
        )  # fmt: skip
        need._answered = answered
        needs.append(need)
    Need.objects.bulk_create(needs)
    NeedLink = Project.needs.through
    NeedLink.objects.bulk_create(
        [NeedLink(project_id=p.pk, need_id=n.pk) for n in needs for p in getattr(n, "_answered", [])]
    )

    # --- team leaders and teams -------------------------------------------------------------------------------
    users = ctx.store["users"]
    leaders, roles = [], []
    for org in orgs:
        for n in range(1, 4):
            user = User(email=f"teamleader{n}.{org.slug}@moulin.demo", full_name=ctx.person_name(),
                        password=ctx.password_hash, language=rng.choice(["fr", "de", "en"]))  # fmt: skip
            user._org = org
            leaders.append(user)
    User.objects.bulk_create(leaders)
    saved = {u.email: u for u in User.objects.filter(email__in=[u.email for u in leaders])}
    leaders_by_org = {}
    for user in leaders:
        saved_user = saved[user.email]
        roles.append(RoleAssignment(user=saved_user, role=Role.TEAM_LEADER, organisation=user._org))
        leaders_by_org.setdefault(user._org.pk, []).append(saved_user)
    RoleAssignment.objects.bulk_create(roles)
    home = ctx.store["home_organisation"]
    leaders_by_org.setdefault(home.pk, []).insert(0, users[HOME_TEAM_LEADER])

    teams, letters = [], {}  # letters: distinct team names within an organisation ("Équipe Esch A", "… B")
    for p in projects:
        count = rng.choice([1, 2]) if p.service_line else 1
        if p.service_line == SL.ENVIRONMENTAL_TEAM and len(p._served) > 3:
            count = 2
        for t in range(count):
            pool = leaders_by_org[p.organisation_id]
            leader = pool[0] if p.organisation_id == home.pk and t == 0 else rng.choice(pool)
            communes = p._served[t::count] or p._served
            key = (p.organisation_id, communes[0].pk)
            letters[key] = n = letters.get(key, -1) + 1
            suffix = chr(65 + n) if n < 26 else str(n + 1)
            team = Team(project=p, name=f"Équipe {communes[0].name} {suffix}", leader=leader,
                        size=rng.randint(3, 12), is_active=p.status != ProjectStatus.CLOSED)  # fmt: skip
            team._communes = communes
            teams.append(team)
    Team.objects.bulk_create(teams)
    TeamThrough = Team.communes.through
    TeamThrough.objects.bulk_create([TeamThrough(team_id=t.pk, commune_id=c.pk) for t in teams for c in t._communes])

    # --- partners of projects ---------------------------------------------------------------------------------
    role_map, default_roles = ctx.store.get("partner_roles", ({}, ["Partner"]))
    partnerships = []
    for p in projects:
        local = [x for c in p._served for x in partners_by_commune.get(c.pk, [])]
        chosen = rng.sample(local, min(len(local), rng.randint(1, 2))) + (rng.sample(national, 1) if national else [])
        for partner in chosen:
            partnerships.append(Partnership(partner=partner, project=p, since=p.start, until=p.end,
                                            role=rng.choice(role_map.get(partner.kind, default_roles))))  # fmt: skip
    Partnership.objects.bulk_create(partnerships)

    # --- indicators ---------------------------------------------------------------------------------------------
    indicators = []
    for p in projects:
        specs_ = INDICATORS[p.domain.code]
        chosen = specs_ if p.term == Term.LONG else specs_[:1]
        for position, (name, unit, low, high, *source) in enumerate(chosen):
            source = source[0] if source else Indicator.ENTERED
            indicator = Indicator(project=p, name=name, unit=unit, position=position, source=source)
            indicator._range = (low, high)
            indicators.append(indicator)
        if p.term == Term.LONG:
            jobs = Indicator(project=p, name="Jobs for former jobseekers", unit="jobs", position=9, source="hires")
            jobs._range = (2, 14)
            indicators.append(jobs)
    Indicator.objects.bulk_create(indicators)
    values = []
    elapsed = Decimal((today - date(today.year, 1, 1)).days + 1) / Decimal(365)
    for indicator in indicators:
        p = indicator.project
        low, high = indicator._range
        base = rng.randint(low, high)
        last = min(p.end.year if p.end else today.year + 1, today.year + 1)
        for year in range(max(p.start.year, today.year - 4), last + 1):
            target = Decimal(round(base * rng.uniform(0.95, 1.15)))
            actual = None
            if p.start > today:
                pass
            elif year < today.year:
                actual = Decimal(round(float(target) * rng.uniform(0.7, 1.2)))
            elif year == today.year:
                actual = (target * elapsed * Decimal(rng.uniform(0.8, 1.1))).quantize(Decimal("1"))
            if indicator.source != "entered":  # computed from the records: only the target is set
                actual = None
            values.append(IndicatorValue(indicator=indicator, year=year, target=target, actual=actual))
    IndicatorValue.objects.bulk_create(values)

    ctx.store["projects"] = projects
    ctx.store["teams"] = teams
    ctx.store["needs"] = needs
    ctx.store["team_leaders"] = leaders_by_org
