"""Who reads and writes the web cafés.

- Venues, their opening hours and closures, the daily visit counts and the public courses are not personal (the
  public page shows hours and courses to everyone; visits are head counts by age band). They are read by the
  roles of the venue's organisation (manager, coaches, team leaders, board members), by the venue's leader and by
  the commune officer of the venue's commune (visits and courses as counts: the course pages show places taken,
  never who took them); network staff read all; the ministry officer sees counts only (the figures page), never
  the records.
- The organisation's manager writes its venues; the venue's leader (a team leader, usually) and the manager keep
  its opening hours, closures, visits and courses; network staff write everything.
- Registrations name members of the public (``personal``): read by network staff, the organisation's manager,
  coaches and team leaders (who run the courses at the counter), the venue's leader; never by board members,
  commune or ministry officers.
"""

from django.db.models import Q

from moulin.access.policy import OrganisationOwnedPolicy
from moulin.access.roles import Role

MANAGERS = frozenset({Role.ORG_MANAGER})
#: the roles that run a web café day to day and may see who registered for its courses
COUNTER_ROLES = frozenset({Role.ORG_MANAGER, Role.COACH, Role.TEAM_LEADER})


class VenuePolicy(OrganisationOwnedPolicy):
    """The venue itself: its organisation's roles and the commune officer read it; its manager writes it."""

    write_roles = MANAGERS
    commune_path = "premises__commune"
    #: the path from a row to its venue ("" for the venue itself)
    venue_path = ""

    def can_list(self, scope):
        return super().can_list(scope) and not scope.aggregate_only

    def rows(self, qs, scope):
        if scope.aggregate_only:
            return qs.none()
        led = Q(**{self.leader_lookup: scope.user_id})
        return super().rows(qs, scope) | qs.filter(led)

    @property
    def leader_lookup(self) -> str:
        return f"{self.venue_path}__leader" if self.venue_path else "leader"

    def venue_of(self, obj):
        venue = obj
        for part in self.venue_path.split("__") if self.venue_path else ():
            venue = getattr(venue, part)
        return venue


class VenueRecordPolicy(VenuePolicy):
    """What a venue keeps (hours, closures, visits, courses): written by the organisation's manager and by the
    venue's leader."""

    organisation_path = "venue__organisation"
    commune_path = "venue__premises__commune"
    venue_path = "venue"

    def leads(self, scope, venue) -> bool:
        return scope.user_id is not None and venue.leader_id == scope.user_id

    def can_change(self, scope, obj):
        return super().can_change(scope, obj) or self.leads(scope, self.venue_of(obj))

    def can_add(self, scope, *, under=None):
        if under is not None and under._meta.model_name == "venue":
            return super().can_add(scope, under=under) or self.leads(scope, under)
        return super().can_add(scope, under=under)


class OpeningSlotPolicy(VenueRecordPolicy):
    pass


class ClosurePolicy(VenueRecordPolicy):
    pass


class VisitDayPolicy(VenueRecordPolicy):
    pass


class PublicCoursePolicy(VenueRecordPolicy):
    pass


class RegistrationPolicy(VenueRecordPolicy):
    """Personal: the name and phone of a member of the public."""

    personal = True
    organisation_path = "course__venue__organisation"
    commune_path = None
    venue_path = "course__venue"
    read_roles = COUNTER_ROLES

    def can_add(self, scope, *, under=None):
        if under is not None and under._meta.model_name == "publiccourse":
            venue = under.venue
            return (
                self._staff_writes(scope)
                or venue.organisation_id in scope.org_ids(*self.write_roles)
                or (self.leads(scope, venue))
            )
        return super().can_add(scope, under=under)
