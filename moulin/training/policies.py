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
from moulin.access.roles import Role
from moulin.organisations.enums import OrganisationKind
from moulin.participants.policies import ParticipantRecordPolicy

WRITERS = frozenset({Role.ORG_MANAGER, Role.COACH})


class SkillPolicy(ReferencePolicy):
    """Skills are shared reference data: everyone reads; managers, coaches and network staff add them."""

    def can_add(self, scope, parent=None):
        return scope.network_wide or scope.network_coach or bool(scope.org_ids(*WRITERS))

    def can_change(self, scope, obj):
        return scope.network_wide


class CoursePolicy(OrganisationOwnedPolicy):
    write_roles = WRITERS
    network_coach_reads = True
    network_path = "organisation__kind"

    def visible(self, qs, scope):
        if not scope.authenticated:
            return qs.none()
        if scope.network_wide or scope.has(Role.MINISTRY_OFFICER) or (scope.network_coach):
            return qs
        network = Q(**{self.network_path: OrganisationKind.RESOURCE_CENTRE})
        q = network | Q(**{f"{self.org_path}__in": scope.org_ids(*self.read_roles)})
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

    def can_add(self, scope, parent=None):
        if scope.network_coach and not scope.network_wide:
            if parent is not None and not isinstance(parent, type) and parent._meta.model_name == "organisation":
                return parent.kind == OrganisationKind.RESOURCE_CENTRE or parent.pk in scope.org_ids(*self.write_roles)
            return True
        return super().can_add(scope, parent)

    def _is_network(self, obj) -> bool:
        target = obj
        for part in self.network_path.split("__"):
            target = getattr(target, part)
        return target == OrganisationKind.RESOURCE_CENTRE


class SessionPolicy(CoursePolicy):
    org_path = "course__organisation"
    network_path = "course__organisation__kind"

    def sessions_q(self, scope) -> Q:
        return self.session_rows_q(scope)

    def can_change(self, scope, obj):
        if scope.user_id is not None and getattr(obj, "trainer_id", None) == scope.user_id:
            return True
        return super().can_change(scope, obj)

    def can_add(self, scope, parent=None):
        """Sessions are planned by those who may change the course."""
        if parent is None or isinstance(parent, type):
            return super().can_add(scope, parent)
        return CoursePolicy().can_change(scope, parent)


class EnrolmentPolicy(OrganisationOwnedPolicy):
    """Personal: a person's enrolments and what follows from them (attendance, certificates)."""

    personal = True
    prefix = ""
    read_roles = WRITERS
    write_roles = WRITERS

    def path(self, rest: str) -> str:
        return f"{self.prefix}{rest}"

    def visible(self, qs, scope):
        if not scope.authenticated:
            return qs.none()
        if scope.network_wide:
            return qs
        if scope.aggregate_only:
            return qs.none()
        org_ids = scope.org_ids(*WRITERS)
        q = Q(**{f"{self.path('session__course__organisation')}__in": org_ids})
        q |= Q(**{self.path("session__trainer"): scope.user_id})
        q |= self.participant_q(scope)
        return qs.filter(q)

    def participant_q(self, scope):
        """Enrolments of the workers whose pathway the user reads (not a team leader's minimal view of the team:
        docs/decisions/0007-team-leader-view.md)."""
        from moulin.participants.models import Participant
        from moulin.participants.policies import PathwayReaderPolicy

        visible = PathwayReaderPolicy().visible(Participant.objects.all(), scope)
        return Q(**{f"{self.path('participant')}__in": visible.values("pk")})

    def organisation_id_of(self, obj):
        enrolment = obj
        for part in self.prefix.rstrip("_").split("__") if self.prefix else []:
            enrolment = getattr(enrolment, part)
        return enrolment.session.course.organisation_id

    def can_change(self, scope, obj):
        if scope.network_wide:
            return True
        enrolment = obj
        for part in self.prefix.rstrip("_").split("__") if self.prefix else []:
            enrolment = getattr(enrolment, part)
        if enrolment.session.trainer_id == scope.user_id:
            return True
        orgs = scope.org_ids(*WRITERS)
        participant = getattr(enrolment, "participant", None)
        return enrolment.session.course.organisation_id in orgs or (
            participant is not None and participant.organisation_id in orgs
        )

    def can_add(self, scope, parent=None):
        if scope.network_wide:
            return True
        if parent is None or isinstance(parent, type):
            return bool(scope.org_ids(*WRITERS)) or scope.network_coach
        # enrolling into a session: any manager or coach who can see it may enrol their workers
        return (
            bool(scope.org_ids(*WRITERS)) or scope.network_coach or getattr(parent, "trainer_id", 0) == scope.user_id
        )


class AttendancePolicy(EnrolmentPolicy):
    prefix = "enrolment__"


class CertificatePolicy(EnrolmentPolicy):
    prefix = "enrolment__"

    def can_change(self, scope, obj):
        return scope.is_admin


class SkillRecordPolicy(ParticipantRecordPolicy):
    """A worker's skills record: read like their pathway; their organisation's manager and coaches edit it."""
