"""Who reads which part of a worker's pathway.

- network administrators and network staff (pathways, reporting) read every participant;
- the organisation's manager and coaches read their organisation's participants and write them;
  a network-wide coach (coach role without organisation) reads and writes all;
- a team leader reads the *minimal* record (name, team, contract dates) of the current members of the
  teams they lead — never notes, entry data, plan or sensitive categories;
- board members, commune and ministry officers never read a person: they see counts only.

Restricted fields are decided here, for pages, exports, PDFs and JSON alike:
``can_read_full``, ``can_read_notes`` (coaching notes) and ``can_read_sensitive`` (ESF+ special categories).
"""

from django.db.models import Q

from moulin.access.policy import AdminSettingsPolicy, OrganisationOwnedPolicy, ReferencePolicy
from moulin.access.querysets import policy_for
from moulin.access.roles import Role

PATHWAY_ROLES = frozenset({Role.ORG_MANAGER, Role.COACH})


def team_leader_q(scope, prefix: str = "") -> Q:
    """Participants currently in a team the user leads (through their employment contracts)."""
    from django.utils import timezone

    today = timezone.localdate()
    p = f"{prefix}contracts__"
    return (
        Q(**{f"{p}team__leader_id": scope.user_id})
        & Q(**{f"{p}start__lte": today})
        & (Q(**{f"{p}last_day__isnull": True}) | Q(**{f"{p}last_day__gte": today}))
    )


class ParticipantPolicy(OrganisationOwnedPolicy):
    personal = True
    #: board members, commune and ministry officers count the workers of the organisations they reach
    counted_by_organisation = True
    read_roles = PATHWAY_ROLES
    write_roles = PATHWAY_ROLES
    network_coach_reads = True
    #: the path to the organisation runs through the participant ("participant__organisation" for their records)
    organisation_path = "organisation"

    @property
    def participant_prefix(self) -> str:
        """The path from the row to the participant, as a lookup prefix ("" for the participant itself)."""
        return self.organisation_path.removesuffix("organisation")

    #: team leaders read the minimal record of their current team members (the participant itself only)
    team_leader_access = True

    def team_leader_reads(self) -> bool:
        return self.team_leader_access

    def rows(self, qs, scope):
        if scope.network_coach:
            return qs
        q = Q(pk__in=[])
        org_ids = scope.org_ids(*self.read_roles)
        if org_ids:
            q |= self.organisation_q(org_ids)
        if self.team_leader_reads() and scope.has(Role.TEAM_LEADER):
            q |= team_leader_q(scope, self.participant_prefix)
            return qs.filter(q).distinct()
        return qs.filter(q)

    def can_list(self, scope):
        if not scope.authenticated or scope.aggregate_only:
            return False
        if scope.network_wide or scope.network_coach or scope.org_ids(*self.read_roles):
            return True
        return self.team_leader_reads() and scope.has(Role.TEAM_LEADER)

    def can_change(self, scope, obj):
        if scope.network_wide or scope.network_coach:
            return True
        return self.organisation_id_of(obj) in scope.org_ids(*self.write_roles)

    def can_add(self, scope, *, under=None):
        if scope.network_wide or scope.network_coach:
            return True
        if under is None:
            return bool(scope.org_ids(*self.write_roles))
        if under._meta.model_name == "organisation":
            return under.pk in scope.org_ids(*self.write_roles)
        return self.organisation_id_under(under) in scope.org_ids(*self.write_roles)

    @staticmethod
    def organisation_id_under(under):
        """The organisation of the person a row is added under (the participant, or one of their records)."""
        if under._meta.model_name == "participant":
            return under.organisation_id
        return getattr(under, "participant", under).organisation_id

    # --- restricted parts of a record -------------------------------------------------------------

    #: what a reader of the minimal record (a team leader) may see, search, filter and sort on (ORM paths from
    #: the model); see docs/decisions/0007-team-leader-view.md
    minimal_fields: frozenset[str] = frozenset(
        {"first_name", "last_name", "organisation", "organisation__name", "organisation__short_name"}
    )

    def may_query(self, scope, path: str) -> bool:
        """May the role read, search, filter or sort on ``path``? Readers of the full record may use every field;
        a reader of the minimal record only the fields of ``minimal_fields``: a search or a sort on a hidden field
        (the ADEM number, the pathway status) would reveal it one request at a time."""
        return self.lists_full(scope) or path in self.minimal_fields

    def lists_full(self, scope) -> bool:
        """Whether lists show the pathway columns: the user reads the full record of at least some people."""
        return scope.network_wide or scope.network_coach or bool(scope.org_ids(*PATHWAY_ROLES))

    def can_read_full(self, scope, participant) -> bool:
        """The whole pathway (everything but notes and sensitive categories, which have their own rule)."""
        if scope.network_wide or scope.network_coach:
            return True
        return participant.organisation_id in scope.org_ids(*PATHWAY_ROLES)

    def can_read_notes(self, scope, participant) -> bool:
        """Coaching notes are confidential: coaches and the worker's organisation manager only."""
        if scope.network_coach:
            return True
        return participant.organisation_id in scope.org_ids(Role.COACH, Role.ORG_MANAGER)

    def can_read_sensitive(self, scope, participant) -> bool:
        """ESF+ special categories: the roles that report them — network staff and administrators, and the
        manager of the organisation responsible for the person."""
        if scope.network_wide:
            return True
        return participant.organisation_id in scope.org_ids(Role.ORG_MANAGER)

    def can_merge(self, scope) -> bool:
        return scope.network_wide

    def can_erase(self, scope) -> bool:
        return scope.network_wide


class PathwayReaderPolicy(ParticipantPolicy):
    """The people whose pathway the user reads: as ``ParticipantPolicy``, without a team leader's minimal view.
    Other families (training records) that follow the person's pathway read through this one."""

    team_leader_access = False


class ParticipantRecordPolicy(ParticipantPolicy):
    """Rows that hang under a participant (referral, plan, session, exit...): same readers, no team leader."""

    organisation_path = "participant__organisation"
    team_leader_access = False


def can_read_full(scope, participant) -> bool:
    return policy_for(participant).can_read_full(scope, participant)


def can_read_notes(scope, participant) -> bool:
    return policy_for(participant).can_read_notes(scope, participant)


def can_read_sensitive(scope, participant) -> bool:
    return policy_for(participant).can_read_sensitive(scope, participant)


class ContractPolicy(ParticipantRecordPolicy):
    """Contracts: read like the full record; a team leader also reads the contracts of the teams they lead."""

    def rows(self, qs, scope):
        if scope.network_coach or not scope.has(Role.TEAM_LEADER):
            return super().rows(qs, scope)
        from django.utils import timezone

        today = timezone.localdate()
        org_ids = scope.org_ids(*self.read_roles)
        q = Q(team__leader_id=scope.user_id, start__lte=today) & (Q(last_day__isnull=True) | Q(last_day__gte=today))
        if org_ids:
            q |= self.organisation_q(org_ids)
        return qs.filter(q)

    def can_list(self, scope):
        return super().can_list(scope) or scope.has(Role.TEAM_LEADER)

    #: a team leader sees who is in the team, the contract dates and weekly hours (to plan the work): not the
    #: measure, which tells the person's benefit status, nor the contract type (see decision 0007)
    minimal_fields = frozenset(
        {"participant__first_name", "participant__last_name", "participant__display_name", "organisation",
         "organisation__name", "project", "project__name", "team", "team__name", "start", "planned_end",
         "ended_on", "last_day", "weekly_hours"}
    )  # fmt: skip


class SensitivePolicy(ParticipantRecordPolicy):
    """ESF+ special categories: only the roles that report them (see ``can_read_sensitive``)."""

    def rows(self, qs, scope):
        return qs.filter(self.organisation_q(scope.org_ids(Role.ORG_MANAGER)))

    def can_list(self, scope):
        return scope.network_wide

    def can_change(self, scope, obj):
        return self.can_read_sensitive(scope, obj.participant)

    def can_add(self, scope, *, under=None):
        if under is None:
            return scope.network_wide or bool(scope.org_ids(Role.ORG_MANAGER))
        return self.can_read_sensitive(scope, under)


class MeasurePolicy(ReferencePolicy):
    """Employment measures: reference data everyone signed in reads; administrators edit."""


class PathwaySettingsPolicy(AdminSettingsPolicy):
    """Retention settings: administrators only."""
