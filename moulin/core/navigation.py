"""The app shell's navigation, by area. Each entry names the policy-bearing model that decides whether
the user sees the entry: an entry shows when the user may see at least the list it leads to."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from moulin.access.scope import Scope


@dataclass(frozen=True)
class NavItem:
    area: str
    label: object
    url_name: str
    icon: str
    show: object  # callable(scope) -> bool


def _everyone(scope: Scope) -> bool:
    return scope.authenticated


def _persons(scope: Scope) -> bool:
    return scope.authenticated and not scope.aggregate_only


def _admins(scope: Scope) -> bool:
    return scope.is_admin


AREAS = [
    ("network", _("Network")),
    ("territory", _("Territory")),
    ("planning", _("Planning")),
    ("people", _("People")),
    ("admin", _("Administration")),
]

ITEMS: list[NavItem] = [
    NavItem("network", _("Organisations"), "organisations:list", "building", _everyone),
    NavItem("network", _("Volunteer hours"), "organisations:volunteering_list", "heart", _persons),
    NavItem("territory", _("Coverage map"), "territory:map", "map", _everyone),
    NavItem("territory", _("Communes"), "territory:commune_list", "geo-alt", _everyone),
    NavItem("territory", _("Cantons"), "territory:canton_list", "grid", _everyone),
    NavItem("admin", _("Users and roles"), "accounts:user_list", "people", _admins),
    NavItem("admin", _("Audit log"), "core:audit_list", "journal-text", _admins),
    NavItem("admin", _("Network settings"), "core:settings", "gear", _admins),
]


def register(item: NavItem) -> None:
    """Later capabilities add their pages to the shell here."""
    ITEMS.append(item)
    _MENUS.clear()


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
        for item in ITEMS:
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
