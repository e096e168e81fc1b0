"""Who reads and writes the training records.

- The catalogue (courses, sessions) is not personal: an organisation's roles read its own courses, everybody
  signed in reads the resource centre's network-wide courses, network staff and the ministry read all, a commune
  officer reads the sessions held in their commune, a trainer the sessions they give. Managers and coaches of the
  organising organisation write them; a session's trainer takes its attendance.
- Enrolments, attendance, certificates and skills records name people (``personal``): they are read by network
  staff, by the manager and coaches of the person's organisation, and, for the people in its own sessions, of
  the organising organisation (who take attendance). Board members, commune and ministry officers see counts.
"""

from django.db.models import Q

from moulin.access.policy import OrganisationOwnedPolicy, ReferencePolicy
from moulin.access.querysets import policy_for
from moulin.access.roles import Role
from moulin.organisations.enums import OrganisationKind
from moulin.participants.policies import ParticipantRecordPolicy

WRITERS = frozenset({Role.ORG_MANAGER, Role.COACH})


class SkillPolicy(ReferencePolicy):
    """Skills are shared reference data: everyone reads; managers, coaches and network staff add them."""

    def can_add(self, scope, *, under=None):
        return scope.network_wide or scope.network_coach or bool(scope.org_ids(*WRITERS))

    def can_change(self, scope, obj):
        return scope.network_wide


class CoursePolicy(OrganisationOwnedPolicy):
    write_roles = WRITERS
    network_coach_reads = True

    def rows(self, qs, scope):
        if scope.has(Role.MINISTRY_OFFICER) or scope.network_coach:
            return qs
        network = Q(**{f"{self.organisation_path}__kind": OrganisationKind.RESOURCE_CENTRE})
        q = network | self.organisation_q(scope.org_ids(*self.read_roles))
        return qs.filter(q | self.sessions_q(scope))

    @staticmethod
    def session_rows_q(scope) -> Q:
        """Sessions the user trains, and (for a commune officer) sessions held in their commune."""
        q = Q(trainer_id=scope.user_id)
        if scope.commune_ids:
            q |= Q(place__commune__in=scope.commune_ids)
        return q

    def sessions_q(self, scope) -> Q:
        from moulin.training.models import Session

        return Q(pk__in=Session.objects.filter(self.session_rows_q(scope)).values("course"))

    def can_change(self, scope, obj):
        if scope.network_coach and not scope.is_admin:
            return self.organisation_id_of(obj) in scope.org_ids(*self.write_roles) or self._is_network(obj)
        return super().can_change(scope, obj)

    def can_add(self, scope, *, under=None):
        if scope.network_coach and not scope.network_wide:
            if under is not None and under._meta.model_name == "organisation":
                return under.kind == OrganisationKind.RESOURCE_CENTRE or under.pk in scope.org_ids(*self.write_roles)
            return True
        return super().can_add(scope, under=under)

    def _is_network(self, obj) -> bool:
        """Whether the row belongs to the resource centre (whose courses are the network's)."""
        target = obj
        for part in self.organisation_path.split("__"):
            target = getattr(target, part)
        return target.kind == OrganisationKind.RESOURCE_CENTRE


class SessionPolicy(CoursePolicy):
    organisation_path = "course__organisation"

    def sessions_q(self, scope) -> Q:
        return self.session_rows_q(scope)

    def can_change(self, scope, obj):
        if scope.user_id is not None and getattr(obj, "trainer_id", None) == scope.user_id:
            return True
        return super().can_change(scope, obj)

    def can_add(self, scope, *, under=None):
        """Sessions are planned by those who may change the course."""
        if under is None:
            return super().can_add(scope)
        return policy_for(under).can_change(scope, under)


class EnrolmentPolicy(OrganisationOwnedPolicy):
    """Personal: a person's enrolments and what follows from them (attendance, certificates)."""

    personal = True
    #: the organising organisation, through the enrolment's session ("enrolment__..." for what follows from it)
    organisation_path = "session__course__organisation"
    read_roles = WRITERS
    write_roles = WRITERS

    @property
    def enrolment_prefix(self) -> str:
        """The path from the row to its enrolment, as a lookup prefix ("" for the enrolment itself)."""
        return self.organisation_path.removesuffix("session__course__organisation")

    def enrolment_of(self, obj):
        enrolment = obj
        for part in self.enrolment_prefix.split("__")[:-1]:
            enrolment = getattr(enrolment, part)
        return enrolment

    def rows(self, qs, scope):
        if scope.aggregate_only:
            return qs.none()
        org_ids = scope.org_ids(*WRITERS)
        q = self.organisation_q(org_ids)
        q |= Q(**{f"{self.enrolment_prefix}session__trainer": scope.user_id})
        q |= self.participant_q(scope)
        return qs.filter(q)

    def participant_q(self, scope):
        """Enrolments of the workers whose pathway the user reads (not a team leader's minimal view of the team:
        docs/decisions/0007-team-leader-view.md)."""
        from moulin.participants.models import Participant
        from moulin.participants.policies import PathwayReaderPolicy

        visible = PathwayReaderPolicy().visible(Participant.objects.all(), scope)
        return Q(**{f"{self.enrolment_prefix}participant__in": visible.values("pk")})

    def can_change(self, scope, obj):
        if scope.network_wide:
            return True
        enrolment = self.enrolment_of(obj)
        if enrolment.session.trainer_id == scope.user_id:
            return True
        orgs = scope.org_ids(*WRITERS)
        participant = getattr(enrolment, "participant", None)
        return enrolment.session.course.organisation_id in orgs or (
            participant is not None and participant.organisation_id in orgs
        )

    def can_add(self, scope, *, under=None):
        if scope.network_wide:
            return True
        if under is None:
            return bool(scope.org_ids(*WRITERS)) or scope.network_coach
        # enrolling into a session: any manager or coach who can see it may enrol their workers
        return bool(scope.org_ids(*WRITERS)) or scope.network_coach or getattr(under, "trainer_id", 0) == scope.user_id


class AttendancePolicy(EnrolmentPolicy):
    organisation_path = "enrolment__session__course__organisation"


class CertificatePolicy(EnrolmentPolicy):
    organisation_path = "enrolment__session__course__organisation"

    def can_change(self, scope, obj):
        return scope.is_admin


class SkillRecordPolicy(ParticipantRecordPolicy):
    """A worker's skills record: read like their pathway; their organisation's manager and coaches edit it."""
