"""The app shell's navigation, by area. Every app declares its entries in its capability (``nav``); an entry
shows when its ``show(scope)`` says so and the user may see at least the list it leads to."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from moulin.access.scope import Scope
from moulin.core.capabilities import NavItem, collected

__all__ = ["AREAS", "NavItem", "menu_for"]


AREAS = [
    ("network", _("Network")),
    ("territory", _("Territory")),
    ("planning", _("Planning")),
    ("people", _("People")),
    ("money", _("Money")),
    ("admin", _("Administration")),
]


def _page_open_to(url: str, scope: Scope) -> bool:
    """A list page whose policy closes the list to this role is not offered in the menu."""
    from django.urls import resolve

    from moulin.access.querysets import policy_for
    from moulin.core.views import ScopedListView

    view_class = getattr(resolve(url).func, "view_class", None)
    if isinstance(view_class, type) and issubclass(view_class, ScopedListView):
        return policy_for(view_class.model).can_list(scope)
    return True


#: built menus by the shape of a scope (see _menu_key): every page draws the menu, and building it resolves
#: every entry's URL and asks its policy; the menu depends on the roles, never on which organisations
_MENUS: dict[tuple, list] = {}


def _menu_key(scope: Scope) -> tuple:
    from django.utils.translation import get_language

    roles_with_orgs = frozenset(role for role, ids in scope.org_ids_by_role.items() if ids)
    return (
        scope.roles,
        roles_with_orgs,
        bool(scope.commune_ids),
        scope.network_coach,
        scope.superuser,
        get_language(),
    )


def menu_for(scope: Scope):
    key = _menu_key(scope)
    menu = _MENUS.get(key)
    if menu is None:
        menu = _MENUS[key] = _build_menu(scope)
    return menu


def _build_menu(scope: Scope):
    menu = []
    for area, area_label in AREAS:
        entries = []
        for item in collected("nav"):
            if item.area != area or not item.show(scope):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            if _page_open_to(url, scope):
                entries.append({"label": item.label, "url": url, "icon": item.icon})
        if entries:
            menu.append({"key": area, "label": area_label, "entries": entries})
    return menu
