"""Demo step: one login per role (password ``moulin-demo``), plus a manager for every member organisation."""

from moulin.access.roles import Role
from moulin.accounts.models import RoleAssignment, User
from moulin.organisations.enums import BoardRole

HOME_ORGANISATION = "CIGL Esch-sur-Alzette"
HOME_COMMUNE = "Esch-sur-Alzette"

# email, full name, role, attached to ("org", "commune" or None), language
DEMO_LOGINS = [
    ("admin@moulin.demo", "Romain Biever", Role.NETWORK_ADMIN, None, "en"),
    ("staff@moulin.demo", "Carole Weber", Role.NETWORK_STAFF, None, "fr"),
    ("manager@moulin.demo", "Nathalie Kremer", Role.ORG_MANAGER, "org", "fr"),
    ("coach@moulin.demo", "Gilles Thill", Role.COACH, "org", "fr"),
    ("teamleader@moulin.demo", "Rui Pereira", Role.TEAM_LEADER, "org", "en"),
    ("board@moulin.demo", "Josée Majerus", Role.BOARD_MEMBER, "org", "de"),
    ("commune@moulin.demo", "Paul Reuter", Role.COMMUNE_OFFICER, "commune", "fr"),
    ("ministry@moulin.demo", "Anne Hoffmann", Role.MINISTRY_OFFICER, None, "de"),
    ("finance@moulin.demo", "Marc Schmit", Role.FINANCE_OFFICER, "org", "fr"),
    ("finance.network@moulin.demo", "Sandra Wagner", Role.FINANCE_OFFICER, None, "en"),
]


def generate(ctx) -> None:
    org = ctx.store["organisation_by_name"][HOME_ORGANISATION]
    commune = ctx.store["communes"][HOME_COMMUNE]
    users, roles = [], []
    for email, name, role, attached, _language in DEMO_LOGINS:
        user = User(email=email, full_name=name, password=ctx.password_hash, language="en")
        user._role = (role, org if attached == "org" else None, commune if attached == "commune" else None)
        if role == Role.NETWORK_ADMIN:
            user.is_staff = user.is_superuser = True
        users.append(user)
    for other in ctx.store["organisations"]:
        if other.level and other.pk != org.pk:
            user = User(email=f"manager.{other.slug}@moulin.demo", full_name=ctx.person_name(),
                        password=ctx.password_hash, language=ctx.rng.choice(["fr", "de", "en"]))  # fmt: skip
            user._role = (Role.ORG_MANAGER, other, None)
            users.append(user)
    User.objects.bulk_create(users)
    saved = {u.email: u for u in User.objects.all()}
    for user in users:
        role, role_org, role_commune = user._role
        roles.append(RoleAssignment(user=saved[user.email], role=role, organisation=role_org, commune=role_commune))
    RoleAssignment.objects.bulk_create(roles)

    # the board member's login is linked to their seat on the board: they are its president
    board_user = saved["board@moulin.demo"]
    president = next(
        m for m in ctx.store["mandates_by_org"][org.pk] if m.role == BoardRole.PRESIDENT and m.end is None
    )
    president.person_name, president.user, president.email = board_user.full_name, board_user, board_user.email
    president.save(update_fields=["person_name", "user", "email"])
    ctx.store["users"] = saved
    ctx.store["home_organisation"] = org
