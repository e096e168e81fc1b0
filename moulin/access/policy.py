"""The one mechanism that answers "which rows may this user see?", "which rows are behind the counts this user
sees?" and "may this user do this?".

Every model family has a policy, reached through ``policy_for(model)``. Its ``visible(queryset, scope)`` filters a
queryset to the user's scope (the shared part, anonymous and network-wide users, is done here once; each policy
says in ``rows(queryset, scope)`` what a scoped user reads); ``counted(queryset, scope)`` gives the rows behind the
figures the user sees; ``can(scope, action, obj)`` answers for one object (``view``, ``change``, ``delete``) or for
adding under a parent (``add``). Views, exports, PDFs, figures and the API all go through these; no view filters or
counts by hand. A user's scope comes from ``scope_for(user)`` only.
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
    #: only network administrators read the whole family (network staff read what ``rows`` gives them)
    admin_reads_only = False
    #: the one path from a row to the organisation it belongs to ("pk" for an organisation itself,
    #: ``None`` for rows that belong to no organisation)
    organisation_path: str | None = None
    #: the rows are *counted* over every organisation the user reaches, even by roles that never read them
    #: (a board member or commune officer counts the workers and board members of their organisations)
    counted_by_organisation = False

    # --- reading ----------------------------------------------------------------------------------

    def visible(self, qs: QuerySet, scope: Scope) -> QuerySet:
        """The rows the user may read: none when signed out, all for the network-wide roles, else ``rows``."""
        if not scope.authenticated:
            return qs.none()
        if scope.is_admin or (scope.network_wide and not self.admin_reads_only):
            return qs
        return self.rows(qs, scope)

    def rows(self, qs: QuerySet, scope: Scope) -> QuerySet:
        """The rows a signed-in user without a network-wide role reads."""
        raise NotImplementedError

    def counted(self, qs: QuerySet, scope: Scope) -> QuerySet:
        """The rows behind the *counts* the user sees: the whole network for the roles that read network
        aggregates (network staff, the ministry officer), otherwise exactly the rows the user may read.
        Never list these rows."""
        if not scope.authenticated:
            return qs.none()
        if scope.reads_network_aggregates:
            return qs
        if self.counted_by_organisation:
            Organisation = apps.get_model("organisations", "Organisation")  # noqa: N806
            reached = policy_for(Organisation).visible(Organisation.objects.all(), scope)
            return qs.filter(self.organisation_q(reached.values("pk")))
        return self.visible(qs, scope)

    def can_list(self, scope: Scope) -> bool:
        """May the user open the list page of this family at all? (Rows are still filtered by ``visible``.)"""
        if not scope.authenticated:
            return False
        return not (self.personal and (scope.aggregate_only or not self._reaches_persons(scope)))

    def _reaches_persons(self, scope: Scope) -> bool:
        return scope.network_wide or bool(scope.member_org_ids) or scope.network_coach

    # --- the organisation a row belongs to --------------------------------------------------------

    def organisation_q(self, ids) -> Q:
        """Rows that belong to one of the organisations ``ids`` (through ``organisation_path``)."""
        if self.organisation_path == "pk":
            return Q(pk__in=ids)
        return Q(**{f"{self.organisation_path}__in": ids})

    def organisation_id_of(self, obj) -> int | None:
        """The organisation ``obj`` belongs to, along ``organisation_path``."""
        if self.organisation_path is None:
            return None
        if self.organisation_path == "pk":
            return obj.pk
        *hops, last = self.organisation_path.split("__")
        target = obj
        for part in hops:
            target = getattr(target, part, None)
            if target is None:
                return None
        return getattr(target, f"{last}_id", None)

    # --- writing ----------------------------------------------------------------------------------

    def can_view(self, scope: Scope, obj) -> bool:
        return self.visible(type(obj)._default_manager.filter(pk=obj.pk), scope).exists()

    def can_change(self, scope: Scope, obj) -> bool:
        return scope.is_admin

    def can_delete(self, scope: Scope, obj) -> bool:
        return self.can_change(scope, obj)

    def can_add(self, scope: Scope, *, under=None) -> bool:
        """May the user add a row of this family under ``under`` (the record it is added to: an organisation,
        a project, a person...)? Without ``under``: may the user add one anywhere at all?"""
        return scope.is_admin

    def organisations_for_add(self, scope: Scope):
        """The active organisations under which the user may add a row of this family: the choices of an
        "organisation" field. Derived from ``can_add(scope, under=organisation)``, so form and policy never differ."""
        Organisation = apps.get_model("organisations", "Organisation")  # noqa: N806

        active = Organisation.objects.filter(is_active=True)
        allowed = [org.pk for org in active.only("pk", "kind") if self.can_add(scope, under=org)]
        return Organisation.objects.filter(pk__in=allowed)

    def can(self, scope: Scope, action: str, obj=None) -> bool:
        """``obj`` is the record for ``view``/``change``/``delete``; for ``add``, the record added under (a model
        class or ``None``: anywhere)."""
        if not scope.authenticated:
            return False
        if action == ADD:
            return self.can_add(scope, under=None if obj is None or isinstance(obj, type) else obj)
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

    def rows(self, qs, scope):
        return qs


class AdminSettingsPolicy(ReferencePolicy):
    """A settings row (retention periods...): network administrators only, for reading and writing."""

    admin_reads_only = True

    def rows(self, qs, scope):
        return qs.none()

    def can_list(self, scope):
        return scope.is_admin


class OrganisationOwnedPolicy(Policy):
    """Rows that belong to an organisation (directly or through ``organisation_path``, e.g. ``project__organisation``).

    - administrators and network staff read everything; administrators and (if ``staff_write``)
      network staff write;
    - organisation roles in ``read_roles`` read their organisations' rows; ``write_roles`` write them;
    - commune officers read rows whose ``commune_path`` is their commune (unless personal);
    - the ministry officer reads non-personal rows network-wide, never personal ones.
    """

    organisation_path = "organisation"
    read_roles: frozenset[str] = frozenset({Role.ORG_MANAGER, Role.COACH, Role.TEAM_LEADER, Role.BOARD_MEMBER})
    write_roles: frozenset[str] = frozenset({Role.ORG_MANAGER})
    staff_write = True
    commune_path: str | None = None
    network_coach_reads = False
    #: set when ``commune_path`` crosses a many-valued relation
    needs_distinct = False

    def rows(self, qs, scope):
        if self.network_coach_reads and scope.network_coach:
            return qs
        if scope.has(Role.MINISTRY_OFFICER) and not self.personal:
            return qs
        q = Q(pk__in=[])
        org_ids = scope.org_ids(*self.read_roles) if self.read_roles else frozenset()
        if org_ids:
            q |= self.organisation_q(org_ids)
        if self.commune_path and scope.commune_ids and not self.personal:
            q |= Q(**{f"{self.commune_path}__in": scope.commune_ids})
        qs = qs.filter(q)
        return qs.distinct() if self.needs_distinct else qs

    def _staff_writes(self, scope) -> bool:
        return scope.is_admin or (self.staff_write and scope.has(Role.NETWORK_STAFF))

    def can_change(self, scope, obj):
        if self._staff_writes(scope):
            return True
        return bool(self.write_roles) and self.organisation_id_of(obj) in scope.org_ids(*self.write_roles)

    def can_add(self, scope, *, under=None):
        if self._staff_writes(scope):
            return True
        if not self.write_roles:
            return False
        if under is None:
            return bool(scope.org_ids(*self.write_roles))
        org_id = under.pk if under._meta.model_name == "organisation" else self.organisation_id_of(under)
        return org_id in scope.org_ids(*self.write_roles)


class NetworkReadPolicy(OrganisationOwnedPolicy):
    """Planning records: network staff read them all; everyone else reads what ``rows(qs, scope)`` keeps.
    The ministry officer sees counts only (``counted``), never the records themselves."""

    def can_list(self, scope):
        return super().can_list(scope) and not scope.aggregate_only

    def rows(self, qs, scope):
        raise NotImplementedError
