from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable

CAPABILITY = Capability(
    nav=(NavItem("planning", _("Partners"), "partners:list", "link-45deg", lambda scope: scope.authenticated),),
    searchable=(Searchable(_("Partners"), "partners.Partner", ("name",)),),
    demo_step="moulin.partners.demo.generate",
)
