from django import forms
from django.utils.translation import gettext_lazy as _


def style_fields(form) -> None:
    """Give every widget the classes of our CSS framework."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.RadioSelect):
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


class OnlyChoiceMixin:
    """An organisation field with a single possible choice (a manager of one organisation) comes preselected."""

    preselect_only_choice = ("organisation",)

    def get_initial_for_field(self, field, field_name):
        value = super().get_initial_for_field(field, field_name)
        if (
            value in (None, "")
            and field_name in self.preselect_only_choice
            and isinstance(field, forms.ModelChoiceField)
            and not isinstance(field, forms.ModelMultipleChoiceField)
            and not field.disabled
        ):
            only = list(field.queryset.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                return only[0]
        return value


class ModelForm(InvalidMarkingMixin, OnlyChoiceMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        style_fields(self)


class Form(InvalidMarkingMixin, OnlyChoiceMixin, forms.Form):
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


def current_value(form, name):
    """The value of field ``name`` as the user sees it now: the submitted data of a bound form, the query string
    of an htmx refresh (see ``follows``), else the form's initial value or the instance's."""
    field = form.fields[name]
    key = form.add_prefix(name)
    if form.is_bound:
        source = form.data
    elif form.request is not None and key in form.request.GET:
        source = form.request.GET
    else:
        value = form.get_initial_for_field(field, name)
        return value.pk if hasattr(value, "pk") else value
    if isinstance(field, forms.ModelMultipleChoiceField):
        return source.getlist(key) if hasattr(source, "getlist") else source.get(key)
    return source.get(key)


def follows(form, name, source) -> None:
    """The choices of field ``name`` depend on field ``source``: when the user changes ``source``, htmx asks the
    same page again with the form's current values (GET, nothing is saved) and swaps in the new ``name`` field
    (its wrapper in components/form_fields.html: label, widget, help). Without JavaScript the field keeps the
    choices it has, and validation catches a wrong combination.

    On that GET the unbound form keeps the values of the query string, so a choice still valid stays chosen."""
    if form.request is None:
        return
    field = form.fields[name]
    key = form.add_prefix(name)
    if not form.is_bound and key in form.request.GET:
        multiple = isinstance(field, forms.MultipleChoiceField)
        form.initial[name] = form.request.GET.getlist(key) if multiple else form.request.GET.get(key)
    value = current_value(form, source)
    field.follows = {"value": value}
    # htmx on the source field (it stays in the page; the swapped field would miss a change made mid-swap)
    wrapper = f"#field-{form.add_prefix(name)}"
    form.fields[source].widget.attrs.update(
        {
            "hx-get": form.request.path,
            "hx-trigger": "change",
            "hx-include": "closest form",
            "hx-select": wrapper,
            "hx-target": wrapper,
            "hx-swap": "outerHTML",
        }  # fmt: skip
    )


class KeepUploadsMixin:
    """Files chosen in a form survive a failed validation: a browser cannot put a file back in a file input, so
    the upload is kept aside (in the default storage, under ``pending/``) and a signed, hidden ``<name>_kept``
    field names it. Sent again without a new file, the form uses the kept one; a new file replaces it.

    ``keep_uploads`` lists the file fields concerned."""

    keep_uploads: tuple[str, ...] = ()
    KEEP_SALT = "moulin.forms.kept-upload"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.keep_uploads:
            self.fields[f"{name}_kept"] = forms.CharField(required=False, widget=forms.HiddenInput)
        if self.is_bound:
            for name in self.keep_uploads:
                self._take_kept(name)

    def _take_kept(self, name):
        from django.core import signing
        from django.core.files.storage import default_storage
        from django.core.files.uploadedfile import SimpleUploadedFile

        key = self.add_prefix(name)
        token = self.data.get(self.add_prefix(f"{name}_kept"))
        if not token or self.files.get(key):
            return
        try:
            path = signing.loads(token, salt=self.KEEP_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            return
        if not default_storage.exists(path):
            return
        with default_storage.open(path) as kept:
            upload = SimpleUploadedFile(path.rsplit("/", 1)[-1], kept.read())
        self.files = self.files.copy()
        self.files[key] = upload
        self.kept_upload_names = {**getattr(self, "kept_upload_names", {}), name: upload.name}

    def full_clean(self):
        super().full_clean()
        if not self.errors:
            return
        import secrets

        from django.core import signing
        from django.core.files.storage import default_storage

        for name in self.keep_uploads:
            upload = self.files.get(self.add_prefix(name))
            if not upload or name in self.errors:
                continue
            upload.seek(0)
            path = default_storage.save(f"pending/{secrets.token_hex(8)}/{upload.name}", upload)
            self.data = self.data.copy()
            self.data[self.add_prefix(f"{name}_kept")] = signing.dumps(path, salt=self.KEEP_SALT)
            field = self.fields[name]
            kept = _("Kept from your last try: %(name)s. Choose another file to replace it.") % {"name": upload.name}
            field.help_text = f"{kept} {field.help_text}".strip()
            self[name].help_text = field.help_text  # the bound field copied it when validation ran
