from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "moulin.participants"
    verbose_name = _("Participants")

    def ready(self):
        from moulin.core import dashboard, home, navigation, reference
        from moulin.core.navigation import NavItem
        from moulin.participants import panels
        from moulin.participants.models import Participant
        from moulin.participants.policies import ContractPolicy, ParticipantPolicy
        from moulin.participants.reference import load_measures

        if "employment measures" not in [name for name, _loader in reference.LOADERS]:
            reference.register("employment measures", load_measures)

        people, contracts = ParticipantPolicy(), ContractPolicy()
        for item in [
            NavItem("people", _("Participants"), "participants:list", "person-badge", people.can_list),
            NavItem("people", _("Refer a person"), "participants:refer", "person-plus",
                    lambda scope: people.can_add(scope, Participant)),
            NavItem("people", _("Waiting list"), "participants:waiting_list", "hourglass",
                    lambda scope: people.can_list(scope) and not _minimal(scope)),
            NavItem("people", _("Employment contracts"), "participants:contract_list", "briefcase",
                    contracts.can_list),
            NavItem("people", _("Follow-ups"), "participants:follow_up_list", "calendar-check",
                    lambda scope: people.can_list(scope) and not _minimal(scope)),
            NavItem("people", _("Employment measures"), "participants:measure_list", "list-check",
                    lambda scope: scope.authenticated and not scope.aggregate_only),
            NavItem("people", _("Pathway figures"), "participants:figures", "bar-chart", lambda s: s.authenticated),
            NavItem("admin", _("Pathway settings"), "participants:settings", "shield-lock", lambda s: s.is_admin),
        ]:  # fmt: skip
            if item.url_name not in {i.url_name for i in navigation.ITEMS}:
                navigation.register(item)

        for panel in (panels.contracts_ending, panels.overdue_actions, panels.follow_ups_due):
            if panel not in dashboard.HOME_PANELS:
                dashboard.HOME_PANELS.append(panel)

        if not any(entry[1] is Participant for entry in home.SEARCHABLE):
            home.SEARCHABLE.append((_("Participants"), Participant, ["first_name", "last_name", "jobseeker_number"]))

        try:
            from moulin.projects.indicators import register_source
        except ImportError:  # pragma: no cover - planning capability absent
            register_source = None
        if register_source is not None:
            from moulin.participants.figures import hires_in_year

            register_source("hires", _("Hires in the year"), hires_in_year)


def _minimal(scope) -> bool:
    """Team leaders without a pathway role see team members only."""
    from moulin.participants.policies import PATHWAY_ROLES

    return not (scope.network_wide or scope.network_coach or scope.org_ids(*PATHWAY_ROLES))
