from django.db.models import Q

from moulin.access.policy import OrganisationOwnedPolicy
from moulin.access.roles import Role


def _agreement_communes(org_ids):
    from moulin.organisations.models import Agreement

    return Agreement.objects.filter(organisation__in=org_ids).values("commune")


class NetworkReadPolicy(OrganisationOwnedPolicy):
    """Planning records: network staff read them all; everyone else reads what ``within(qs, scope)`` keeps.
    The ministry officer sees counts only (``counted_for``), never the records themselves."""

    def visible(self, qs, scope):
        if not scope.authenticated:
            return qs.none()
        if scope.network_wide:
            return qs
        return self.within(qs, scope)

    def can_list(self, scope):
        return super().can_list(scope) and not scope.aggregate_only

    def within(self, qs, scope):
        raise NotImplementedError


class NeedPolicy(NetworkReadPolicy):
    """Local needs: network staff and the ministry read all; an organisation reads the needs it follows up,
    those of the communes it holds an agreement with, and those its projects answer; a commune officer
    reads and records the needs of their commune. Network staff, managers and commune officers write."""

    write_roles = frozenset({Role.ORG_MANAGER})

    def within(self, qs, scope):
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
        if scope.is_admin or scope.has(Role.NETWORK_STAFF):
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

        if scope.is_admin or scope.has(Role.NETWORK_STAFF):
            return Commune.objects.all()
        return Commune.objects.filter(
            Q(pk__in=scope.commune_ids) | Q(pk__in=_agreement_communes(scope.managed_org_ids))
        )

    def can_add(self, scope, parent=None):
        if scope.is_admin or scope.has(Role.NETWORK_STAFF):
            return True
        if parent is not None and not isinstance(parent, type) and parent._meta.model_name == "commune":
            return self.communes_for_add(scope).filter(pk=parent.pk).exists()
        return bool(scope.commune_ids) or bool(scope.managed_org_ids)


class ProjectPolicy(NetworkReadPolicy):
    """Projects belong to their lead organisation; the officer of a commune a project serves reads it.
    (The commune path crosses a many-to-many relation: filtered through a subquery rather than DISTINCT,
    so that lists keep their annotations.)"""

    org_path = "organisation"
    commune_path = "communes"

    def within(self, qs, scope):
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

    def can_add(self, scope, parent=None):
        if scope.is_admin or (self.staff_write and scope.has(Role.NETWORK_STAFF)):
            return True
        managed = scope.org_ids(*self.write_roles)
        if parent is None or isinstance(parent, type):
            return bool(managed)
        project = parent if parent._meta.model_name == "project" else parent.project
        return project.organisation_id in managed


def _visible_projects(scope):
    from moulin.projects.models import Project

    return ProjectPolicy().visible(Project.objects.all(), scope).values("pk")


class ProjectPartPolicy(UnderProjectMixin, NetworkReadPolicy):
    """Indicators: read and written with their project."""

    org_path = "project__organisation"
    project_path = "project"

    def within(self, qs, scope):
        return qs.filter(**{f"{self.project_path}__in": _visible_projects(scope)})


class IndicatorValuePolicy(ProjectPartPolicy):
    org_path = "indicator__project__organisation"
    project_path = "indicator__project"


class TeamPolicy(UnderProjectMixin, OrganisationOwnedPolicy):
    """Teams name their leader (a person): the organisation's roles read its projects' teams, a team leader
    reads the teams they lead; the organisation's manager and network staff write. Commune and ministry
    officers see counts only."""

    personal = True
    org_path = "project__organisation"

    def visible(self, qs, scope):
        if not scope.authenticated:
            return qs.none()
        if scope.network_wide:
            return qs
        q = Q(leader_id=scope.user_id)
        org_ids = scope.org_ids(*self.read_roles)
        if org_ids:
            q |= Q(project__organisation__in=org_ids)
        return qs.filter(q)

    def _reaches_persons(self, scope):
        return super()._reaches_persons(scope) or scope.has(Role.TEAM_LEADER)
