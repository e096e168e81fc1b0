from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem


def _admins(scope) -> bool:
    return scope.is_admin


CAPABILITY = Capability(
    nav=(NavItem("admin", _("Users and roles"), "accounts:user_list", "people", _admins),),
)
