from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    NETWORK_STAFF = "network_staff", _("Network staff")
    ORG_MANAGER = "org_manager", _("Organisation manager")
    COACH = "coach", _("Job coach / trainer")
    TEAM_LEADER = "team_leader", _("Team leader")
    BOARD_MEMBER = "board_member", _("Board member")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")


# Roles whose scope is whole network.
NETWORK_ROLES = frozenset({Role.NETWORK_ADMIN, Role.NETWORK_STAFF})
# Roles attached to one organisation (a coach or a finance officer may also be network-wide: organisation left
# empty — a network coach, the network's finance staff).
ORGANISATION_ROLES = frozenset(
    {Role.ORG_MANAGER, Role.COACH, Role.TEAM_LEADER, Role.BOARD_MEMBER, Role.FINANCE_OFFICER}
)
# Organisation roles that may also be held for the whole network (no organisation).
NETWORK_OPTIONAL_ROLES = frozenset({Role.COACH, Role.FINANCE_OFFICER})
# Roles that see aggregates only, never a person's record.
AGGREGATE_ONLY_ROLES = frozenset({Role.MINISTRY_OFFICER})
