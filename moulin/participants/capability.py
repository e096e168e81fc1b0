from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.core.capabilities import Capability, IndicatorSource, NavItem, Searchable
from moulin.core.persons import PersonRecords
from moulin.participants import panels
from moulin.participants.figures import hires_in_year, hires_in_years, team_size, team_size_years
from moulin.participants.models import EmploymentContract, Participant
from moulin.participants.policies import PATHWAY_ROLES
from moulin.participants.reference import load_measures

people, contracts = policy_for(Participant), policy_for(EmploymentContract)


def _minimal(scope) -> bool:
    """Team leaders without a pathway role see team members only."""
    return not (scope.network_wide or scope.network_coach or scope.org_ids(*PATHWAY_ROLES))


def _may_refer(scope) -> bool:
    return people.can_add(scope)


CAPABILITY = Capability(
    nav=(
        NavItem("people", _("Participants"), "participants:list", "person-badge", people.can_list),
        NavItem("people", _("Refer a person"), "participants:refer", "person-plus", _may_refer),
        NavItem(
            "people",
            _("Waiting list"),
            "participants:waiting_list",
            "hourglass",
            lambda scope: people.can_list(scope) and not _minimal(scope),
        ),
        NavItem("people", _("Employment contracts"), "participants:contract_list", "briefcase", contracts.can_list),
        NavItem(
            "people",
            _("Follow-ups"),
            "participants:follow_up_list",
            "calendar-check",
            lambda scope: people.can_list(scope) and not _minimal(scope),
        ),
        NavItem(
            "people",
            _("Employment measures"),
            "participants:measure_list",
            "list-check",
            lambda scope: scope.authenticated and not scope.aggregate_only,
        ),
        NavItem("people", _("Pathway figures"), "participants:figures", "bar-chart", lambda s: s.authenticated),
        NavItem("admin", _("Pathway settings"), "participants:settings", "shield-lock", lambda s: s.is_admin),
    ),  # fmt: skip
    searchable=(
        Searchable(_("Participants"), "participants.Participant", ("first_name", "last_name", "jobseeker_number")),
    ),
    home_panels=(panels.contracts_ending, panels.overdue_actions, panels.follow_ups_due),
    reference_loaders=(("employment measures", load_measures),),
    demo_step="moulin.participants.demo.generate",
    indicator_sources=(
        IndicatorSource("hires", _("Hires in the year"), hires_in_year, hires_in_years),
        IndicatorSource("team_size", _("Workers under contract on the project"), team_size, team_size_years),
    ),
    person_records=(
        PersonRecords(
            model="participants.participant",
            label=_("Participants"),
            slug="participants",
            anonymise="moulin.participants.services.anonymise",
            expired="moulin.participants.services.expired_for_retention",
            export="moulin.participants.views.gdpr.export_for",
            export_sections="moulin.participants.pdf.export_sections",
            retention_task="moulin.participants.tasks.anonymise_expired_participants",
            retention_title=_("Anonymise participants whose retention period has passed (GDPR)"),
        ),
    ),
)
