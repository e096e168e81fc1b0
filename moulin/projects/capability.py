from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable
from moulin.projects.sections import commune_planning_section, home_planning_panel, persons, reads_needs

CAPABILITY = Capability(
    nav=(
        NavItem("planning", _("Local needs"), "projects:need_list", "lightbulb", reads_needs),
        NavItem("planning", _("Projects"), "projects:project_list", "diagram-3", reads_needs),
        NavItem("planning", _("Teams"), "projects:team_list", "people", persons),
        NavItem("planning", _("Local planning"), "projects:planning_index", "calendar3", reads_needs),
    ),
    searchable=(
        Searchable(_("Local needs"), "projects.Need", ("title", "commune__name"), related=("commune",)),
        Searchable(_("Projects"), "projects.Project", ("name",)),
    ),
    commune_sections=(commune_planning_section,),
    home_panels=(home_planning_panel,),
    demo_step="moulin.projects.demo.generate",
)
