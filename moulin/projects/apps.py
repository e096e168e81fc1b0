from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "moulin.projects"
    verbose_name = _("Projects")

    def ready(self):
        from moulin.core import dashboard, home
        from moulin.core.navigation import NavItem, register
        from moulin.projects.models import Need, Project
        from moulin.projects.sections import commune_planning_section, home_planning_panel, persons, reads_needs
        from moulin.territory.views import COMMUNE_SECTIONS

        register(NavItem("planning", _("Local needs"), "projects:need_list", "lightbulb", reads_needs))
        register(NavItem("planning", _("Projects"), "projects:project_list", "diagram-3", reads_needs))
        register(NavItem("planning", _("Teams"), "projects:team_list", "people", persons))
        register(NavItem("planning", _("Local planning"), "projects:planning_index", "calendar3", reads_needs))
        home.SEARCHABLE.append((_("Local needs"), Need, ["title", "commune__name"]))
        home.SEARCHABLE.append((_("Projects"), Project, ["name"]))
        COMMUNE_SECTIONS.append(commune_planning_section)
        dashboard.HOME_PANELS.append(home_planning_panel)
