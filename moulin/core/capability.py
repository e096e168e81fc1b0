from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem


def _admins(scope) -> bool:
    return scope.is_admin


CAPABILITY = Capability(
    nav=(
        NavItem("admin", _("Audit log"), "core:audit_list", "journal-text", _admins),
        NavItem("admin", _("Network settings"), "core:settings", "gear", _admins),
    ),
)
