"""Demo step: about 200 partners at local, national and international level, their contacts, and
partnerships with the member organisations (partnerships with projects come with the projects step)."""

from datetime import date

from django.utils.text import slugify

from moulin.organisations.models import Agreement
from moulin.partners.enums import PartnerKind as K, PartnerLevel as L
from moulin.partners.models import Contact, Partner, Partnership

#: Luxembourg mobile prefixes in use (so that every demo number passes the phone validator)
MOBILE = [621, 628, 651, 661, 668, 671, 681, 691, 698]
#: numbers abroad in plausible layouts: Brussels, Paris, Berlin
FOREIGN_PHONE = {"32": "+32 2 5{a2:02d} {b4:04d}", "33": "+33 1 {a2:02d} {b}", "49": "+49 30 {a} {b4:04d}"}

NATIONAL = [
    ("Ministère du Travail et de l'Emploi", K.MINISTRY), ("Ministère de la Famille et des Solidarités", K.MINISTRY),
    ("Ministère de l'Environnement, du Climat et de la Biodiversité", K.MINISTRY),
    ("Ministère de l'Éducation nationale", K.MINISTRY), ("Ministère de la Culture", K.MINISTRY),
    ("Ministère de la Digitalisation", K.MINISTRY), ("Ministère de l'Économie — Tourisme", K.MINISTRY),
    ("Agence pour le développement de l'emploi (ADEM)", K.EMPLOYMENT_SERVICE),
    ("Centre des technologies de l'information de l'État (CTIE)", K.MINISTRY),
    ("Chambre des Métiers", K.CHAMBER), ("Chambre de Commerce", K.CHAMBER), ("Chambre des salariés", K.CHAMBER),
    ("Université du Luxembourg", K.UNIVERSITY), ("OGBL", K.UNION), ("LCGB", K.UNION),
    ("Caritas Luxembourg", K.ASSOCIATION), ("Croix-Rouge luxembourgeoise", K.ASSOCIATION),
    ("Syndicat des villes et communes (SYVICOL)", K.NETWORK), ("Office national de l'enfance", K.MINISTRY),
    ("Administration de la nature et des forêts", K.MINISTRY), ("Luxembourg for Tourism", K.ASSOCIATION),
    ("Institut national pour le développement de la formation professionnelle continue", K.MINISTRY),
    ("Service national de la jeunesse", K.MINISTRY), ("Fondation Kräizbierg", K.ASSOCIATION),
    ("Ligue HMC", K.ASSOCIATION), ("Inclusion asbl", K.ASSOCIATION), ("Nature & Emwelt", K.ASSOCIATION),
    ("Mouvement écologique", K.ASSOCIATION), ("Union luxembourgeoise des consommateurs", K.ASSOCIATION),
    ("Fédération des artisans", K.CHAMBER), ("Union des entreprises luxembourgeoises", K.COMPANY),
    ("Réseau Objectif Plein Emploi — partenaires sociaux", K.NETWORK),
]  # fmt: skip
INTERNATIONAL = [
    ("European Network of Social Integration Enterprises (ENSIE)", K.NETWORK),
    ("REVES — European network of cities and regions for the social economy", K.NETWORK),
    ("European Anti-Poverty Network", K.NETWORK), ("Caritas Europa", K.ASSOCIATION),
    ("Université de Lorraine", K.UNIVERSITY), ("Universität Trier", K.UNIVERSITY),
    ("Hochschule für Technik und Wirtschaft des Saarlandes", K.UNIVERSITY), ("Université de Liège", K.UNIVERSITY),
    ("Interreg Grande Région — secrétariat", K.NETWORK), ("EURES Grande Région", K.EMPLOYMENT_SERVICE),
    ("Pôle emploi Lorraine", K.EMPLOYMENT_SERVICE), ("Agentur für Arbeit Saarland", K.EMPLOYMENT_SERVICE),
    ("Forem Wallonie", K.EMPLOYMENT_SERVICE), ("Social Economy Europe", K.NETWORK),
    ("European Federation of Food Banks", K.NETWORK),
]  # fmt: skip
ASSOCIATIONS = ["Club des seniors", "Amicale du quartier", "Office social", "Jeunesse de", "Syndicat d'initiative",
                "Maison relais", "Ligue des parents", "Club de jardinage"]  # fmt: skip
CRAFTS = ["Menuiserie", "Plomberie", "Électricité", "Peinture", "Toiture", "Jardins et paysages", "Serrurerie"]
COMPANIES = ["Supermarché", "Boulangerie", "Imprimerie", "Garage", "Transports", "Nettoyage industriel"]
FUNCTIONS = ["Director", "Project officer", "Mayor", "Alderman (échevin)", "Social worker", "Secretary", "Manager",
             "Head of unit", "Coordinator"]  # fmt: skip
ROLES = {
    K.COMMUNE: ["Commune partner: sites and work orders", "Co-funder", "Host of the web café"],
    K.MINISTRY: ["Funder (agreement)", "Supervising authority", "E-government courses"],
    K.EMPLOYMENT_SERVICE: ["Referrer of jobseekers", "Placement partner"],
    K.UNIVERSITY: ["Evaluation and research", "Trainee placements"],
    K.CHAMBER: ["Craft rules and referral of jobs", "Certified training"],
    K.CRAFT_BUSINESS: ["Referral of jobs above the craft threshold", "Technical guidance"],
}
DEFAULT_ROLES = ["Partner", "Volunteers and events", "Referrer of beneficiaries", "In-kind support"]


def generate(ctx) -> None:
    rng = ctx.rng
    communes = ctx.store["communes"]
    covered_ids = set(Agreement.objects.values_list("commune", flat=True))
    covered = sorted((c for c in communes.values() if c.pk in covered_ids), key=lambda c: c.name)
    partners = []
    for commune in covered:
        partners.append(Partner(name=f"Administration communale de {commune.name}", kind=K.COMMUNE, level=L.LOCAL,
                                commune=commune))  # fmt: skip
    for commune in rng.sample(covered, min(44, len(covered))):
        partners.append(Partner(name=f"{rng.choice(ASSOCIATIONS)} {commune.name}", kind=K.ASSOCIATION,
                                level=L.LOCAL, commune=commune))  # fmt: skip
    for commune in rng.sample(covered, min(34, len(covered))):
        family = ctx.person_name().split(" ")[-1]
        partners.append(Partner(name=f"{rng.choice(CRAFTS)} {family} ({commune.name})", kind=K.CRAFT_BUSINESS,
                                level=L.LOCAL, commune=commune))  # fmt: skip
    for commune in rng.sample(covered, min(26, len(covered))):
        partners.append(Partner(name=f"{rng.choice(COMPANIES)} {commune.name}", kind=K.COMPANY, level=L.LOCAL,
                                commune=commune))  # fmt: skip
    partners += [Partner(name=name, kind=kind, level=L.NATIONAL) for name, kind in NATIONAL]
    partners += [Partner(name=name, kind=kind, level=L.INTERNATIONAL) for name, kind in INTERNATIONAL]
    seen, unique = set(), []
    for p in partners:
        if p.name not in seen:
            seen.add(p.name)
            unique.append(p)
    for p in unique:
        domain = slugify(p.name)[:24].strip("-")
        p.email = f"contact@{domain}.demo"
        p.phone = (
            f"+352 4{rng.randint(22, 99) % 10} {rng.randint(10, 99)} {rng.randint(10, 99)}"  # a valid 6-digit line
        )
        if p.level == L.INTERNATIONAL:
            country, a, b = rng.choice(["32", "33", "49"]), rng.randint(100, 999), rng.randint(100000, 999999)
            p.phone = FOREIGN_PHONE[country].format(a=a, a2=a % 100, b=b, b4=b % 10000)
        p.website = f"https://www.{domain}.demo"
    Partner.objects.bulk_create(unique)
    partners = list(Partner.objects.order_by("pk"))

    contacts = []
    for p in partners:
        for _ in range(rng.choice([1, 1, 2])):
            name = ctx.person_name()
            contacts.append(Contact(
                partner=p, name=name, function=rng.choice(FUNCTIONS),
                email=f"{slugify(name).replace('-', '.')}@{slugify(p.name)[:24].strip('-')}.demo",
                phone=f"+352 {MOBILE[rng.randint(621, 691) % len(MOBILE)]} "
                f"{rng.randint(100, 999)} {rng.randint(100, 999)}",
            ))  # fmt: skip
    Contact.objects.bulk_create(contacts)

    by_commune = {}
    for p in partners:
        if p.commune_id:
            by_commune.setdefault(p.commune_id, []).append(p)
    national = [p for p in partners if p.level != L.LOCAL]
    agreements = {}
    for commune_id, org_id in Agreement.objects.values_list("commune", "organisation"):
        agreements.setdefault(org_id, set()).add(commune_id)
    partnerships = []
    for org in ctx.store["organisations"]:
        chosen = []
        for commune_id in agreements.get(org.pk, ()):
            chosen += by_commune.get(commune_id, [])[:2]
        chosen += rng.sample(national, 3)
        for p in chosen:
            since = date(rng.randint(2005, ctx.today.year - 1), rng.choice([1, 4, 9]), 1)
            until = None if rng.random() < 0.85 else date(rng.randint(since.year, ctx.today.year), 12, 31)
            partnerships.append(Partnership(partner=p, organisation=org, since=since, until=until,
                                            role=rng.choice(ROLES.get(p.kind, DEFAULT_ROLES))))  # fmt: skip
    Partnership.objects.bulk_create(partnerships)
    ctx.store["partners"] = partners
    ctx.store["partners_by_commune"] = by_commune
    ctx.store["national_partners"] = national
    ctx.store["partner_roles"] = (ROLES, DEFAULT_ROLES)
