from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable
from moulin.training import hooks, panels


def _everyone(scope) -> bool:
    return scope.authenticated


def _persons(scope) -> bool:
    from moulin.access.querysets import policy_for
    from moulin.training.models import Enrolment

    return policy_for(Enrolment).can_list(scope)


CAPABILITY = Capability(
    nav=(
        NavItem("people", _("Training courses"), "training:course_list", "mortarboard", _everyone),
        NavItem("people", _("Training sessions"), "training:session_list", "calendar-week", _everyone),
        NavItem("people", _("Enrolments"), "training:enrolment_list", "person-check", _persons),
        NavItem("people", _("Skills"), "training:skill_list", "stars", _everyone),
    ),
    searchable=(Searchable(_("Training courses"), "training.Course", ("title", "code")),),
    home_panels=(panels.attendance_today,),
    timeline_sources=(hooks.timeline_entries,),
    summary_sections=(hooks.summary_section,),
    anonymise_hooks=(hooks.anonymise,),
    person_links=("training.enrolment",),
    demo_step="moulin.training.demo.generate",
)
