"""Who reads and writes field work.

- Sites, recurring work orders and work orders are not personal (they name a team, never a person): the
  organisation's roles read those of its projects, a team leader reads the work of the teams they lead, a
  commune officer reads the work done on their commune's sites; the organisation's manager writes them, a team
  leader moves their team's work orders. The ministry officer counts them only.
- Time entries name a worker (``personal``): network staff read them all, the organisation's manager and coaches
  those of its workers, a team leader those of the teams they lead (and records them); the ministry officer
  counts them only; commune officers and board members never read them.
- A team's calendar feed is read like the team's work orders and renewed or revoked by those who change them.
- Required safety trainings are reference data: everyone signed in reads them, network staff write them.
- Safety incidents name the workers involved (``personal``): network staff read them all, the organisation's
  manager those of its teams, a team leader those of the teams they lead (and reports them); coaches, board
  members and commune officers never read them, the ministry officer counts them only.
"""

from django.db.models import Q

from moulin.access.policy import OrganisationOwnedPolicy, ReferencePolicy
from moulin.access.roles import Role

READERS = frozenset({Role.ORG_MANAGER, Role.COACH, Role.BOARD_MEMBER})
MANAGERS = frozenset({Role.ORG_MANAGER})


class _CountsOnlyForTheMinistry(OrganisationOwnedPolicy):
    read_roles = READERS
    write_roles = MANAGERS
    #: the lookup from a row to the team that does the work (None: the row is not a team's)
    team_path: str | None = None

    def can_list(self, scope):
        return super().can_list(scope) and not scope.aggregate_only

    def team_q(self, scope) -> Q:
        if self.team_path is None or not scope.has(Role.TEAM_LEADER):
            return Q(pk__in=[])
        return Q(**{f"{self.team_path}__leader_id": scope.user_id})

    def rows(self, qs, scope):
        if scope.aggregate_only:
            return qs.none()
        q = self.team_q(scope)
        org_ids = scope.org_ids(*self.read_roles)
        if org_ids:
            q |= self.organisation_q(org_ids)
        if self.commune_path and scope.commune_ids and not self.personal:
            q |= Q(**{f"{self.commune_path}__in": scope.commune_ids})
        return qs.filter(q)

    def leads(self, scope, obj) -> bool:
        if self.team_path is None or scope.user_id is None:
            return False
        target = obj
        for part in self.team_path.split("__"):
            target = getattr(target, part, None)
        return target is not None and target.leader_id == scope.user_id


class SitePolicy(_CountsOnlyForTheMinistry):
    organisation_path = "project__organisation"
    commune_path = "commune"
    read_roles = READERS | {Role.TEAM_LEADER}

    def can_add(self, scope, *, under=None):
        if under is not None and under._meta.model_name == "project":
            return self._staff_writes(scope) or under.organisation_id in scope.org_ids(*self.write_roles)
        return super().can_add(scope, under=under)


class RecurringOrderPolicy(_CountsOnlyForTheMinistry):
    organisation_path = "site__project__organisation"
    commune_path = "site__commune"
    team_path = "team"

    def can_change(self, scope, obj):
        return super().can_change(scope, obj) or self.leads(scope, obj)

    def can_add(self, scope, *, under=None):
        if under is not None and under._meta.model_name == "site":
            if self._staff_writes(scope) or under.project.organisation_id in scope.org_ids(*self.write_roles):
                return True
            return under.project.teams.filter(leader_id=scope.user_id).exists()
        return super().can_add(scope, under=under)


class WorkOrderPolicy(RecurringOrderPolicy):
    """A team leader moves their team's work orders, marks them done and adds single ones to their team's week."""

    def can_add(self, scope, *, under=None):
        if under is not None and under._meta.model_name == "team":
            if self._staff_writes(scope) or under.leader_id == scope.user_id:
                return True
            return under.project.organisation_id in scope.org_ids(*self.write_roles)
        return super().can_add(scope, under=under)


class TimeEntryPolicy(_CountsOnlyForTheMinistry):
    personal = True
    organisation_path = "participant__organisation"
    read_roles = frozenset({Role.ORG_MANAGER, Role.COACH})
    write_roles = MANAGERS
    team_path = "team"

    def _reaches_persons(self, scope):
        return bool(scope.network_wide or scope.org_ids(*self.read_roles) or scope.has(Role.TEAM_LEADER))

    def can_change(self, scope, obj):
        return super().can_change(scope, obj) or self.leads(scope, obj)

    def can_add(self, scope, *, under=None):
        if super().can_add(scope, under=under):
            return True
        if under is None:
            return scope.has(Role.TEAM_LEADER)
        if under._meta.model_name == "workorder":
            return under.team.leader_id == scope.user_id
        if under._meta.model_name == "team":
            return under.leader_id == scope.user_id or under.project.organisation_id in scope.org_ids(*MANAGERS)
        return False


class TeamFeedPolicy(_CountsOnlyForTheMinistry):
    organisation_path = "team__project__organisation"
    team_path = "team"

    def can_add(self, scope, *, under=None):
        """A team's feed is issued (or revoked) by its leader, its organisation's manager and network staff."""
        if under is not None and under._meta.model_name == "team":
            if self._staff_writes(scope) or under.leader_id == scope.user_id:
                return True
            return under.project.organisation_id in scope.org_ids(*self.write_roles)
        return super().can_add(scope, under=under)

    def can_change(self, scope, obj):
        return super().can_change(scope, obj) or self.leads(scope, obj)


class RequiredTrainingPolicy(ReferencePolicy):
    def can_add(self, scope, *, under=None):
        return scope.network_wide

    def can_change(self, scope, obj):
        return scope.network_wide


class SafetyIncidentPolicy(_CountsOnlyForTheMinistry):
    personal = True
    organisation_path = "team__project__organisation"
    read_roles = MANAGERS
    write_roles = MANAGERS
    team_path = "team"

    def _reaches_persons(self, scope):
        return bool(scope.network_wide or scope.org_ids(*self.read_roles) or scope.has(Role.TEAM_LEADER))

    def can_change(self, scope, obj):
        return super().can_change(scope, obj) or self.leads(scope, obj)

    def can_add(self, scope, *, under=None):
        if super().can_add(scope, under=under):
            return True
        if under is None:
            return scope.has(Role.TEAM_LEADER)
        team = under if under._meta.model_name == "team" else getattr(under, "team", None)
        return team is not None and team.leader_id == scope.user_id


class HoursSummaryPolicy(TimeEntryPolicy):
    """The monthly hours summary is counted exactly as the time entries it adds up: its worker's organisation
    stands for the entry's ``participant__organisation``, its team for the entry's team."""

    organisation_path = "organisation"
    team_path = "team"
