"""The one mechanism that answers "which rows may this user see?" and "may this user do this?".

Every model family has a policy. Its ``visible(queryset, scope)`` filters a queryset to the
user's scope; ``can(scope, action, obj)`` answers for one object (``view``, ``change``,
``delete``) or for adding under a parent (``add``). Views, exports, PDFs and the API all go
through these two; no view filters by hand.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from moulin.access.querysets import policy_for
from moulin.access.roles import Role
from moulin.access.scope import Scope, scope_for

VIEW, CHANGE, DELETE, ADD = "view", "change", "delete", "add"


class Policy:
    #: whether the rows hold personal data (aggregate-only roles never read them)
    personal = False

    def visible(self, qs: QuerySet, scope: Scope) -> QuerySet:
        raise NotImplementedError

    def can_list(self, scope: Scope) -> bool:
        """May the user open the list page of this family at all? (Rows are still filtered by ``visible``.)"""
        if not scope.authenticated:
            return False
        return not (self.personal and (scope.aggregate_only or not self._reaches_persons(scope)))

    def _reaches_persons(self, scope: Scope) -> bool:
        return scope.network_wide or bool(scope.member_org_ids) or scope.network_coach

    def can_view(self, scope: Scope, obj) -> bool:
        return self.visible(type(obj)._default_manager.filter(pk=obj.pk), scope).exists()

    def can_change(self, scope: Scope, obj) -> bool:
        return scope.is_admin

    def can_delete(self, scope: Scope, obj) -> bool:
        return self.can_change(scope, obj)

    def can_add(self, scope: Scope, parent=None) -> bool:
        return scope.is_admin

    def organisations_for_add(self, scope: Scope):
        """The active organisations under which the user may add a row of this family: the choices of an
        "organisation" field. Derived from ``can_add(scope, organisation)``, so form and policy never differ."""
        Organisation = apps.get_model("organisations", "Organisation")  # noqa: N806

        active = Organisation.objects.filter(is_active=True)
        allowed = [org.pk for org in active.only("pk", "kind") if self.can_add(scope, org)]
        return Organisation.objects.filter(pk__in=allowed)

    def can(self, scope: Scope, action: str, obj=None) -> bool:
        if not scope.authenticated:
            return False
        if action == ADD:
            return self.can_add(scope, obj)
        if action == VIEW:
            return self.can_view(scope, obj)
        if action == CHANGE:
            return self.can_view(scope, obj) and self.can_change(scope, obj)
        if action == DELETE:
            return self.can_view(scope, obj) and self.can_delete(scope, obj)
        raise ValueError(f"Unknown action {action!r}")


def user_can(user, action: str, obj) -> bool:
    """May ``user`` do ``action`` on ``obj`` (an instance, or for ``add`` a model class or a parent)?"""
    return policy_for(obj).can(scope_for(user), action, obj)


class ReferencePolicy(Policy):
    """Reference data (communes, cantons, domains): everyone signed in reads, administrators write."""

    def visible(self, qs, scope):
        return qs if scope.authenticated else qs.none()


class OrganisationOwnedPolicy(Policy):
    """Rows that belong to an organisation (directly or through a path such as ``project__organisation``).

    - administrators and network staff read everything; administrators and (if ``staff_write``)
      network staff write;
    - organisation roles in ``read_roles`` read their organisations' rows; ``write_roles`` write them;
    - commune officers read rows whose ``commune_path`` is their commune (unless personal);
    - the ministry officer reads non-personal rows network-wide, never personal ones.
    """

    org_path = "organisation"
    read_roles: frozenset[str] = frozenset({Role.ORG_MANAGER, Role.COACH, Role.TEAM_LEADER, Role.BOARD_MEMBER})
    write_roles: frozenset[str] = frozenset({Role.ORG_MANAGER})
    staff_write = True
    commune_path: str | None = None
    network_coach_reads = False
    #: set when ``commune_path`` crosses a many-valued relation
    needs_distinct = False

    def org_q(self, ids) -> Q:
        return Q(**{f"{self.org_path}__in": ids}) if self.org_path != "pk" else Q(pk__in=ids)

    def visible(self, qs, scope):
        if not scope.authenticated:
            return qs.none()
        if scope.network_wide:
            return qs
        if self.network_coach_reads and scope.network_coach:
            return qs
        if scope.has(Role.MINISTRY_OFFICER) and not self.personal:
            return qs
        q = Q(pk__in=[])
        org_ids = scope.org_ids(*self.read_roles) if self.read_roles else frozenset()
        if org_ids:
            q |= self.org_q(org_ids)
        if self.commune_path and scope.commune_ids and not self.personal:
            q |= Q(**{f"{self.commune_path}__in": scope.commune_ids})
        qs = qs.filter(q)
        return qs.distinct() if self.needs_distinct else qs

    def organisation_id_of(self, obj) -> int | None:
        if self.org_path == "pk":
            return obj.pk
        target = obj
        for part in self.org_path.split("__"):
            target = getattr(target, part, None)
            if target is None:
                return None
        return target.pk

    def can_change(self, scope, obj):
        if scope.is_admin or (self.staff_write and scope.has(Role.NETWORK_STAFF)):
            return True
        return bool(self.write_roles) and self.organisation_id_of(obj) in scope.org_ids(*self.write_roles)

    def can_add(self, scope, parent=None):
        if scope.is_admin or (self.staff_write and scope.has(Role.NETWORK_STAFF)):
            return True
        if not self.write_roles:
            return False
        if parent is None or isinstance(parent, type):
            return bool(scope.org_ids(*self.write_roles))
        org_id = parent.pk if parent._meta.model_name == "organisation" else self.organisation_id_of(parent)
        return org_id in scope.org_ids(*self.write_roles)
