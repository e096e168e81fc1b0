from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem

CAPABILITY = Capability(
    nav=(NavItem("admin", _("Scheduled jobs"), "ops:job_list", "clock-history", lambda scope: scope.is_admin),),
)
