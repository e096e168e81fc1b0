"""Who reads and writes community care.

- The catalogue (services, kinds of work, social tariffs) is read by everyone signed in (the directory shows it
  to the public anyway); an organisation's manager writes its services and tariffs, network staff the kinds of
  work and everything else.
- Beneficiaries are personal: read by the manager of their organisation and network staff (each read audited);
  never by the ministry, a commune officer or a board member.
- Requests: the organisation's manager; a commune officer the requests from their commune, which the pages show
  without the beneficiary (only those who may read the beneficiary see who asked); the ministry counts only.
- Interventions (and their photos) name a person's home: the organisation's manager, and the leader of the team
  that does the job (who also completes it).
- Surveys: the organisation's manager; results are counted through the policy.
"""

from django.db.models import Q

from moulin.access.policy import AdminSettingsPolicy, OrganisationOwnedPolicy, ReferencePolicy
from moulin.access.roles import Role

MANAGERS = frozenset({Role.ORG_MANAGER})


class ServiceTypePolicy(OrganisationOwnedPolicy):
    read_roles = MANAGERS
    write_roles = MANAGERS

    def rows(self, qs, scope):
        return qs


class WorkKindPolicy(ReferencePolicy):
    def can_add(self, scope, *, under=None):
        return scope.network_wide

    def can_change(self, scope, obj):
        return scope.network_wide


class SocialTariffPolicy(ServiceTypePolicy):
    pass


class BeneficiaryPolicy(OrganisationOwnedPolicy):
    personal = True
    read_roles = MANAGERS
    write_roles = MANAGERS

    def can_erase(self, scope) -> bool:
        """An erasure request is carried out by network staff (as for participants)."""
        return scope.network_wide

    def can_change(self, scope, obj):
        return obj.anonymised_at is None and super().can_change(scope, obj)


class CareSettingsPolicy(AdminSettingsPolicy):
    """Retention settings of beneficiaries: administrators only."""


class RequestPolicy(OrganisationOwnedPolicy):
    read_roles = MANAGERS
    write_roles = MANAGERS
    commune_path = "commune"

    def can_list(self, scope):
        return super().can_list(scope) and not scope.aggregate_only

    def rows(self, qs, scope):
        if scope.aggregate_only:
            return qs.none()
        return super().rows(qs, scope)

    def _reaches_persons(self, scope):
        return super()._reaches_persons(scope) or bool(scope.commune_ids)

    def shows_beneficiary(self, scope) -> bool:
        """Whether the user reads the beneficiaries behind requests (a commune officer does not)."""
        return BeneficiaryPolicy().can_list(scope)

    def may_query(self, scope, path: str) -> bool:
        """No column, search, filter or sort on the beneficiary for those who may not read beneficiaries."""
        return not path.startswith("beneficiary") or self.shows_beneficiary(scope)


class InterventionPolicy(OrganisationOwnedPolicy):
    personal = True
    organisation_path = "request__organisation"
    read_roles = MANAGERS
    write_roles = MANAGERS
    #: the path from the row to its team
    team_path = "team"

    def rows(self, qs, scope):
        if scope.aggregate_only:
            return qs.none()
        q = self.organisation_q(scope.org_ids(*MANAGERS)) | Q(**{f"{self.team_path}__leader": scope.user_id})
        return qs.filter(q)

    def _reaches_persons(self, scope):
        return super()._reaches_persons(scope) or scope.has(Role.TEAM_LEADER)

    def leads(self, scope, obj) -> bool:
        team = obj
        for part in self.team_path.split("__"):
            team = getattr(team, part)
        return scope.user_id is not None and team.leader_id == scope.user_id

    def can_change(self, scope, obj):
        return super().can_change(scope, obj) or self.leads(scope, obj)

    def can_add(self, scope, *, under=None):
        """Interventions are scheduled by those who may change the request."""
        if under is not None and under._meta.model_name == "request":
            return self._staff_writes(scope) or under.organisation_id in scope.org_ids(*self.write_roles)
        return super().can_add(scope, under=under)


class InterventionPhotoPolicy(InterventionPolicy):
    organisation_path = "intervention__request__organisation"
    team_path = "intervention__team"


class SurveyPolicy(OrganisationOwnedPolicy):
    personal = True
    organisation_path = "request__organisation"
    read_roles = MANAGERS
    write_roles = MANAGERS
