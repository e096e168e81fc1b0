from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable
from moulin.territory.reference import load_territory


def _everyone(scope) -> bool:
    return scope.authenticated


CAPABILITY = Capability(
    nav=(
        NavItem("territory", _("Coverage map"), "territory:map", "map", _everyone),
        NavItem("territory", _("Communes"), "territory:commune_list", "geo-alt", _everyone),
        NavItem("territory", _("Cantons"), "territory:canton_list", "grid", _everyone),
    ),
    searchable=(Searchable(_("Communes"), "territory.Commune", ("name", "code")),),
    reference_loaders=(("territory", load_territory),),
)
