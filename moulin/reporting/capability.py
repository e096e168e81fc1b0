from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, DashboardSection, IndicatorSource, NavItem
from moulin.reporting import indicator_sources as computed, sections
from moulin.reporting.esf_views import is_reporter
from moulin.reporting.money import money_figures
from moulin.reporting.panels import home_reporting_panel

CAPABILITY = Capability(
    nav=(
        NavItem("network", _("Dashboard"), "reporting:dashboard", "speedometer2", lambda s: s.authenticated),
        NavItem(
            "network",
            _("Annual activity report"),
            "reporting:annual_report",
            "file-earmark-bar-graph",
            lambda s: s.authenticated,
        ),
        NavItem(
            "network",
            _("ESF+ indicators"),
            "reporting:esf",
            "flag",
            lambda s: s.authenticated and (is_reporter(s) or s.aggregate_only),
        ),
    ),
    home_panels=(home_reporting_panel,),
    indicator_sources=(
        IndicatorSource(
            "hours_worked",
            _("Hours worked by the project's teams"),
            computed.hours_worked,
            for_years=computed.hours_worked_years,
        ),
        IndicatorSource(
            "sites_maintained",
            _("Sites maintained (a work order done)"),
            computed.sites_maintained,
            for_years=computed.sites_maintained_years,
        ),
        IndicatorSource(
            "interventions",
            _("Interventions completed"),
            computed.interventions,
            for_years=computed.interventions_years,
        ),
        IndicatorSource(
            "beneficiaries_served",
            _("Beneficiaries served"),
            computed.beneficiaries_served,
            for_years=computed.beneficiaries_served_years,
        ),
    ),
    dashboard_sections=(
        DashboardSection("pathway", _("Jobs and pathways"), sections.pathway_figures, 10),
        DashboardSection("service", _("Service delivery"), sections.service_figures, 20),
        DashboardSection("training", _("Training"), sections.training_figures, 30),
        DashboardSection("territory", _("Territory"), sections.territory_figures, 40),
        DashboardSection("money", _("Money"), money_figures, 50),
    ),
)
