from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable
from moulin.fieldwork import hooks


def _reads(model_name):
    def show(scope) -> bool:
        from django.apps import apps

        from moulin.access.querysets import policy_for

        return policy_for(apps.get_model("fieldwork", model_name)).can_list(scope)

    return show


CAPABILITY = Capability(
    nav=(
        NavItem("planning", _("Sites"), "fieldwork:site_list", "geo-alt", _reads("Site")),
        NavItem("planning", _("Work orders"), "fieldwork:work_order_list", "clipboard-check", _reads("WorkOrder")),
        NavItem("planning", _("Schedule"), "fieldwork:schedule", "calendar-week", _reads("WorkOrder")),
        NavItem("planning", _("Time entries"), "fieldwork:time_entry_list", "clock", _reads("TimeEntry")),
        NavItem(
            "planning",
            _("Safety incidents"),
            "fieldwork:incident_list",
            "exclamation-triangle",
            _reads("SafetyIncident"),
        ),
        NavItem(
            "planning",
            _("Required safety trainings"),
            "fieldwork:required_training_list",
            "shield-check",
            _reads("RequiredTraining"),
        ),
    ),
    searchable=(Searchable(_("Sites"), "fieldwork.Site", ("name",), related=("commune",)),),
    home_panels=(hooks.today_panel,),
    timeline_sources=(hooks.timeline_entries,),
    summary_sections=(hooks.summary_section,),
    demo_step="moulin.fieldwork.demo.generate",
    record_sections=(("care.Intervention", hooks.intervention_entries), ("projects.Project", hooks.project_sites)),
    completion_hooks=(("care.Intervention", hooks.intervention_completed),),
)
