"""The form renderer (``FORM_RENDERER``): Django's, with ``<select>`` and ``<input>`` written in Python.

A list page's filter form holds a few selects of 30-100 options (communes, organisations, needs); Django renders
each option through two template includes, which was about 40 % of a list page's server time
(docs/performance.md). This renderer writes exactly the same HTML as Django's ``select.html`` /
``select_option.html`` / ``attrs.html`` templates (tests/core/test_rendering.py compares them byte for byte), and
hands every other template, and any select with another option template, to Django's renderer.

The inputs (text, date, number, checkbox…) are Django's ``input.html`` with ``attrs.html``, each included once per
field by a template of one line; a filter form's dates and searches and every form page's fields went through
both includes. ``render_input`` writes the same HTML (tests/core/test_rendering.py compares them too)."""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
#: Django's input templates: each is one line, ``{% include "django/forms/widgets/input.html" %}``
INPUT_KINDS = ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
               "color", "checkbox", "file", "input")  # fmt: skip
INPUTS = frozenset(f"django/forms/widgets/{kind}.html" for kind in INPUT_KINDS)


def _value(value) -> str:
    """``{{ value }}``: localised, then escaped unless already safe."""
    if type(value) is str:  # plain text (most labels): what the steps below come to, without them
        return html.escape(value)
    value = localize(template_localtime(value))
    if not isinstance(value, str):
        value = str(value)
    return conditional_escape(value)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``."""
    if type(value) is str:
        return html.escape(value)
    if type(value) is int:  # a key: digits need no escaping
        return str(value)
    try:
        text = "%s" % value  # noqa: UP031 - the template filter's own formatting
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_value(name)}" if value is True else f' {_value(name)}="{_formatted(value)}"')
    return "".join(out)


def render_select(widget: dict) -> str | None:
    """The select's HTML, or None when an option uses another template than Django's."""
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # Django's renderer strips the template's last newline
    return "".join(parts)


def render_input(widget: dict) -> str:
    """Django's ``input.html``: the type, the name, the value unless None, the attributes."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and (html := render_select(context["widget"])) is not None:
            return html
        if template_name in INPUTS:
            return render_input(context["widget"])
        return super().render(template_name, context, request)
