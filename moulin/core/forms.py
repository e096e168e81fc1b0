from django import forms
from django.utils.translation import gettext_lazy as _


def style_fields(form) -> None:
    """Give every widget the classes of our CSS framework."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = ""
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if css:
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


class InvalidMarkingMixin:
    """After validation, mark the widgets of fields in error so the message shows next to them."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
                widget.attrs["aria-invalid"] = "true"


class ModelForm(InvalidMarkingMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        style_fields(self)


class Form(InvalidMarkingMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        style_fields(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FilterForm(forms.Form):
    """Filters of a list page. ``lookups`` maps a field name to the ORM lookup it filters on."""

    lookups: dict[str, str] = {}

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) and not isinstance(
                field, forms.MultipleChoiceField
            ):
                if isinstance(field, forms.ModelChoiceField):
                    field.empty_label = _("All")
                elif field.choices and field.choices[0][0] != "":
                    field.choices = [("", _("All")), *field.choices]
        style_fields(self)
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-select-sm" if "form-select" in field.widget.attrs["class"] else ""

    def filter_queryset(self, qs):
        for name, value in self.cleaned_data.items():
            if value in (None, "", [], False):
                continue
            method = getattr(self, f"filter_{name}", None)
            if method is not None:
                qs = method(qs, value)
            elif name in self.lookups:
                qs = qs.filter(**{self.lookups[name]: value})
        return qs
