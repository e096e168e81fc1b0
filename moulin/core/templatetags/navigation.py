"""The app shell's menu bar, drawn once per shape of scope and language (``moulin.core.navigation.menu_html``)."""

from django import template

from moulin.access.scope import ANONYMOUS
from moulin.core.navigation import menu_html

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    scope = context.get("scope", ANONYMOUS)
    return menu_html(scope) if scope.authenticated else ""
