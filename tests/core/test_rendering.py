"""The form renderer writes selects in Python (moulin.core.rendering): the HTML must be Django's, byte for byte."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from moulin.core.forms import DateInput
from moulin.core.rendering import INPUTS, FormRenderer, render_select
from moulin.core.views import ScopedListView
from moulin.organisations.models import Organisation

DJANGO = DjangoTemplates()
OURS = FormRenderer()


def both(widget, name="field", value=None, attrs=None):
    context = widget.get_context(name, value, attrs)
    return OURS.render(widget.template_name, context), DJANGO.render(widget.template_name, context)


CHOICES = [
    ("", "---------"),
    (1, "One & <two>"),
    ("b", gettext_lazy("Organisation")),
    ("c", mark_safe("<b>safe</b>")),
    (2026, 2026),
    ("Group <1>", [("x", 'X "quoted"'), ("y", "Y")]),
]


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (forms.Select(choices=CHOICES), "b", None),
        (forms.Select(choices=CHOICES), None, {"class": "a<b", "required": True, "disabled": False, "data-x": 3}),
        (forms.Select(choices=CHOICES, attrs={"hx-get": "/x/?a=1&b=2"}), 1, {"id": "id_field"}),
        (forms.SelectMultiple(choices=CHOICES), ["b", "y", "2026"], {"id": "m"}),
        (forms.NullBooleanSelect(), True, None),
        (forms.Select(choices=[]), None, None),
    ],
)
def test_selects_render_as_django_does(widget, value, attrs):
    ours, theirs = both(widget, value=value, attrs=attrs)
    assert ours == theirs


def test_a_model_choice_select_renders_as_django_does():
    field = forms.ModelChoiceField(Organisation.objects.order_by("name"), required=False)
    chosen = Organisation.objects.order_by("name").last()
    ours, theirs = both(field.widget, "organisation", chosen.pk, {"id": "id_organisation"})
    assert ours == theirs
    assert chosen.name.replace("'", "&#x27;") in ours and "selected" in ours


def test_each_input_template_written_in_python_is_the_one_line_include():
    """``INPUTS`` names Django's templates that only include ``input.html``: if Django changes one, it is no
    longer written in Python until this list is checked again."""
    from pathlib import Path

    import django

    folder = Path(django.__file__).parent / "forms" / "templates"
    for name in INPUTS - {"django/forms/widgets/input.html"}:
        assert (folder / name).read_text().strip() == '{% include "django/forms/widgets/input.html" %}', name


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (forms.TextInput(), None, None),
        (forms.TextInput(attrs={"class": "form-control", "placeholder": 'Name "and" <ref>'}), "a & b", {"id": "x"}),
        (forms.TextInput(), "", {"required": True, "disabled": False, "maxlength": 100}),
        (forms.NumberInput(attrs={"step": "0.5", "min": 0}), Decimal("12.50"), None),
        (forms.NumberInput(), 3, {"aria-invalid": "true"}),
        (forms.EmailInput(), "a@b.lu", None),
        (forms.URLInput(), "https://x.lu/?a=1&b=2", None),
        (forms.PasswordInput(render_value=False), "secret", {"autocomplete": "current-password"}),
        (forms.PasswordInput(render_value=True), "secret", None),
        (forms.HiddenInput(), mark_safe("<safe>"), None),
        (DateInput(), datetime.date(2026, 12, 2), {"id": "id_date_from"}),
        (forms.DateTimeInput(), datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.UTC), None),
        (forms.TimeInput(), datetime.time(9, 30), None),
        (forms.SearchInput(), "Esch-sur-Alzette", None),
        (forms.TelInput(), "+352 26 12 34 56", None),
        (forms.ColorInput(), "#ff0000", None),
        (forms.CheckboxInput(), True, {"class": "form-check-input"}),
        (forms.CheckboxInput(), False, None),
        (forms.FileInput(), None, {"accept": "image/*"}),
    ],
)
def test_inputs_render_as_django_does(widget, value, attrs):
    ours, theirs = both(widget, value=value, attrs=attrs)
    assert ours == theirs
    assert ours.startswith("<input ")


class OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


def test_a_select_with_its_own_option_template_is_left_to_django():
    widget = OwnOption(choices=[("a", "A")])
    assert render_select(widget.get_context("f", "a", None)["widget"]) is None
    ours, theirs = both(widget, value="a")
    assert ours == theirs


def _walk_list_views(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk_list_views(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            view = getattr(p.callback, "view_class", None)
            if isinstance(view, type) and issubclass(view, ScopedListView):
                yield view, "/" + prefix + str(p.pattern)


def _list_views():
    """Every list page with filters."""
    return list(dict.fromkeys(v for v, _path in _walk_list_views(get_resolver().url_patterns) if v.filter_form_class))


def _list_paths():
    """The address of every list page without URL arguments."""
    return [path for _v, path in _walk_list_views(get_resolver().url_patterns) if "<" not in path]


def test_every_list_filter_form_renders_as_with_django(rf, demo_user):
    """Every filter form of every list page, as the administrator (every field shown), both renderers."""
    request = rf.get("/")
    request.user = demo_user("admin")
    compared = 0
    for view in _list_views():
        form = view.filter_form_class(None, request=request)
        for bound in form:
            widget = bound.field.widget
            if isinstance(widget, forms.Select) or widget.template_name in INPUTS:
                context = widget.get_context(bound.html_name, bound.value(), bound.build_widget_attrs({}))
                template = widget.template_name
                assert OURS.render(template, context) == DJANGO.render(template, context), (view, bound.name)
                compared += 1
    assert compared >= 30


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_every_filter_select_read_with_values_lists_the_options_of_its_instances(rf, demo_user, language):
    """A filter select reading its options with ``values_list`` (``ValuesChoiceIterator``) offers exactly the
    options Django's iterator builds from the model instances: same keys, same labels (``str(obj)``), same order,
    in every language."""
    from django.forms.models import ModelChoiceIterator
    from django.utils import translation

    from moulin.core.forms import ValuesChoiceIterator

    request = rf.get("/")
    request.user = demo_user("admin")
    compared = set()
    with translation.override(language):
        for view in _list_views():
            form = view.filter_form_class(None, request=request)
            for bound in form:
                field = bound.field
                if getattr(field, "iterator", None) is not ValuesChoiceIterator:
                    continue
                ours = [(str(value), str(label)) for value, label in field.choices]
                theirs = [(str(value), str(label)) for value, label in ModelChoiceIterator(field)]
                assert ours == theirs, (view, bound.name)
                assert len(ours) > 1, (view, bound.name)
                compared.add(field.queryset.model)
    assert len(compared) >= 6
