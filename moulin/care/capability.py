from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem
from moulin.core.persons import PersonRecords


def _everyone(scope) -> bool:
    return scope.authenticated


def commune_section(commune, user):
    """The commune page's link to its public service directory and request form."""
    from moulin.care.models import ServiceType

    return {"template": "care/commune_section.html", "commune": commune,
            "offered": ServiceType.objects.offered_in(commune).count()}  # fmt: skip


CAPABILITY = Capability(
    nav=(
        NavItem("people", _("Care requests"), "care:request_list", "telephone-inbound", _everyone),
        NavItem("people", _("Beneficiaries"), "care:beneficiary_list", "house-heart", _everyone),
        NavItem("people", _("Care interventions"), "care:intervention_list", "tools", _everyone),
        NavItem("people", _("Satisfaction surveys"), "care:survey_list", "emoji-smile", _everyone),
        NavItem("planning", _("Service catalogue"), "care:service_list", "list-check", _everyone),
        NavItem("planning", _("Community care in figures"), "care:service_results", "bar-chart", _everyone),
        NavItem("planning", _("Social tariff"), "care:tariff_list", "cash-coin", _everyone),
        NavItem("planning", _("Kinds of work"), "care:work_kind_list", "hammer", _everyone),
        NavItem("admin", _("Community-care settings"), "care:settings", "shield-lock", lambda s: s.is_admin),
    ),
    commune_sections=(commune_section,),
    demo_step="moulin.care.demo.generate",
    person_records=(
        PersonRecords(
            model="care.beneficiary",
            label=_("Beneficiaries"),
            slug="beneficiaries",
            anonymise="moulin.care.services.anonymise_beneficiary",
            expired="moulin.care.services.expired_beneficiaries",
            export="moulin.care.services.beneficiary_export",
            export_sections="moulin.care.services.beneficiary_export_sections",
            retention_task="moulin.care.tasks.anonymise_expired_beneficiaries",
            retention_title=_("Anonymise beneficiaries whose retention period has passed (GDPR)"),
            links=("care.request", "care.intervention"),
        ),
    ),
)
