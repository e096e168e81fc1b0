from django.db.models import Q

from moulin.access.policy import NetworkReadPolicy, OrganisationOwnedPolicy
from moulin.access.querysets import policy_for
from moulin.access.roles import Role


def _agreement_communes(org_ids):
    from moulin.organisations.models import Agreement

    return Agreement.objects.filter(organisation__in=org_ids).values("commune")


class NeedPolicy(NetworkReadPolicy):
    """Local needs: network staff and the ministry read all; an organisation reads the needs it follows up,
    those of the communes it holds an agreement with, and those its projects answer; a commune officer
    reads and records the needs of their commune. Network staff, managers and commune officers write."""

    write_roles = frozenset({Role.ORG_MANAGER})

    def rows(self, qs, scope):
        from moulin.projects.models import Project

        q = Q(pk__in=[])
        org_ids = scope.org_ids(*self.read_roles)
        if org_ids:
            answered = Project.needs.through.objects.filter(project__organisation__in=org_ids).values("need")
            q |= Q(organisation__in=org_ids) | Q(commune__in=_agreement_communes(org_ids)) | Q(pk__in=answered)
        if scope.commune_ids:
            q |= Q(commune__in=scope.commune_ids)
        return qs.filter(q)

    def can_change(self, scope, obj):
        if scope.network_wide:
            return True
        if obj.commune_id in scope.commune_ids:
            return True
        managed = scope.managed_org_ids
        if not managed:
            return False
        if obj.organisation_id in managed:
            return True
        return _agreement_communes(managed).filter(commune=obj.commune_id).exists()

    def can_delete(self, scope, obj):
        return self.can_change(scope, obj)

    def communes_for_add(self, scope):
        """Communes where the user may record a need: all for network staff, their own for a commune officer,
        those their managed organisations hold an agreement with for a manager."""
        from moulin.territory.models import Commune

        if scope.network_wide:
            return Commune.objects.all()
        return Commune.objects.filter(
            Q(pk__in=scope.commune_ids) | Q(pk__in=_agreement_communes(scope.managed_org_ids))
        )

    def can_add(self, scope, *, under=None):
        if scope.network_wide:
            return True
        if under is not None and under._meta.model_name == "commune":
            return self.communes_for_add(scope).filter(pk=under.pk).exists()
        return bool(scope.commune_ids) or bool(scope.managed_org_ids)


class ProjectPolicy(NetworkReadPolicy):
    """Projects belong to their lead organisation; the officer of a commune a project serves reads it.
    (The commune path crosses a many-to-many relation: filtered through a subquery rather than DISTINCT,
    so that lists keep their annotations.)"""

    organisation_path = "organisation"
    commune_path = "communes"

    def rows(self, qs, scope):
        from moulin.projects.models import Project

        q = Q(pk__in=[])
        org_ids = scope.org_ids(*self.read_roles)
        if org_ids:
            q |= Q(organisation__in=org_ids)
        if scope.commune_ids:
            served = Project.communes.through.objects.filter(commune__in=scope.commune_ids).values("project")
            q |= Q(pk__in=served)
        return qs.filter(q)


class UnderProjectMixin:
    """Records added under a project (or under an indicator of one) belong to the project's organisation."""

    def can_add(self, scope, *, under=None):
        if self._staff_writes(scope):
            return True
        managed = scope.org_ids(*self.write_roles)
        if under is None:
            return bool(managed)
        project = under if under._meta.model_name == "project" else under.project
        return project.organisation_id in managed


def _visible_projects(scope):
    from moulin.projects.models import Project

    return policy_for(Project).visible(Project.objects.all(), scope).values("pk")


class ProjectPartPolicy(UnderProjectMixin, NetworkReadPolicy):
    """Indicators: read and written with their project (the project is on the way to the organisation)."""

    organisation_path = "project__organisation"

    def rows(self, qs, scope):
        project_path = self.organisation_path.removesuffix("__organisation")
        return qs.filter(**{f"{project_path}__in": _visible_projects(scope)})


class IndicatorValuePolicy(ProjectPartPolicy):
    organisation_path = "indicator__project__organisation"


class TeamPolicy(UnderProjectMixin, OrganisationOwnedPolicy):
    """Teams name their leader (a person): the organisation's roles read its projects' teams, a team leader
    reads the teams they lead; the organisation's manager and network staff write. Commune and ministry
    officers see counts only."""

    personal = True
    organisation_path = "project__organisation"

    def rows(self, qs, scope):
        q = Q(leader_id=scope.user_id)
        org_ids = scope.org_ids(*self.read_roles)
        if org_ids:
            q |= Q(project__organisation__in=org_ids)
        return qs.filter(q)

    def _reaches_persons(self, scope):
        return super()._reaches_persons(scope) or scope.has(Role.TEAM_LEADER)
