from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable
from moulin.organisations.reference import load_domains


def _everyone(scope) -> bool:
    return scope.authenticated


def _persons(scope) -> bool:
    return scope.authenticated and not scope.aggregate_only


CAPABILITY = Capability(
    nav=(
        NavItem("network", _("Organisations"), "organisations:list", "building", _everyone),
        NavItem("network", _("Volunteer hours"), "organisations:volunteering_list", "heart", _persons),
    ),
    searchable=(
        Searchable(
            _("Organisations"), "organisations.Organisation", ("name", "short_name", "locality", "legal_number")
        ),
    ),
    reference_loaders=(("domains", load_domains),),
)
