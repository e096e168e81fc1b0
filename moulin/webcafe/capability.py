from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable
from moulin.webcafe import hooks


def _reads(model_name):
    def show(scope) -> bool:
        from django.apps import apps

        from moulin.access.querysets import policy_for

        return policy_for(apps.get_model("webcafe", model_name)).can_list(scope)

    return show


def _counts(scope) -> bool:
    return scope.authenticated


CAPABILITY = Capability(
    nav=(
        NavItem("planning", _("Web cafés"), "webcafe:venue_list", "pc-display", _reads("Venue")),
        NavItem("planning", _("Web café visits"), "webcafe:visit_day_list", "people-fill", _reads("VisitDay")),
        NavItem("planning", _("Public courses"), "webcafe:public_course_list", "easel", _reads("PublicCourse")),
        NavItem(
            "people",
            _("Course registrations"),
            "webcafe:registration_list",
            "person-lines-fill",
            _reads("Registration"),
        ),
        NavItem("planning", _("Web cafés in figures"), "webcafe:figures", "bar-chart-line", _counts),
    ),
    searchable=(Searchable(_("Web cafés"), "webcafe.Venue", ("name", "premises__locality")),),
    home_panels=(hooks.today_panel,),
    commune_sections=(hooks.commune_section,),
    public_directory_sections=(hooks.public_directory_section,),
    demo_step="moulin.webcafe.demo.generate",
)
