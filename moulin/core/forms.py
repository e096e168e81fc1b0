import datetime
import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy as _

from moulin.core import dataversion


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


#: the widest range any date of the site may take: a date outside it is a typing slip (year 1, year 9999)
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_YEARS_AHEAD = 10


class PlausibleDatesMixin:
    """Every date field of every form has a plausible range, checked next to the field, and given to the browser's
    date picker. The site-wide range is 1900 to ten years ahead; a form narrows it for its own fields with
    ``date_limits``: ``{"field": (earliest, latest)}``, each a number of days from today (``0``: today,
    ``None``: the site-wide limit), from the domain (a referral is not in the future...)."""

    date_limits: dict[str, tuple[int | None, int | None]] = {}
    #: the domain's own words for a date in the future where only the past makes sense
    future_messages: dict = {}

    def plausible_range(self, name):
        today = timezone.localdate()
        earliest, latest = EARLIEST_DATE, today.replace(year=today.year + LATEST_YEARS_AHEAD, day=min(today.day, 28))
        low, high = self.date_limits.get(name, (None, None))
        if low is not None:
            earliest = max(earliest, today + datetime.timedelta(days=low))
        if high is not None:
            latest = min(latest, today + datetime.timedelta(days=high))
        return earliest, latest

    def set_date_ranges(self) -> None:
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                earliest, latest = self.plausible_range(name)
                held = self.initial.get(name)
                if isinstance(held, datetime.date) and not earliest <= held <= latest:
                    continue  # a date recorded before the rule stays editable
                field.widget.attrs.setdefault("min", earliest.isoformat())
                field.widget.attrs.setdefault("max", latest.isoformat())

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not isinstance(field, forms.DateField) or not isinstance(value, datetime.date):
                continue
            if self.is_bound and self.initial.get(name) == value:
                continue  # a date recorded before is not new input
            earliest, latest = self.plausible_range(name)
            if value < earliest or value > latest:
                self.add_error(name, self.date_message(name, value, earliest, latest))

    def date_message(self, name, value, earliest, latest):
        today = timezone.localdate()
        if value > latest and latest <= today:
            return self.future_messages.get(name) or _(
                "This date is in the future: give the date it happened (today at the latest)."
            )
        return _("Give a date between %(earliest)s and %(latest)s: check the year.") % {
            "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
            "latest": date_format(latest, "SHORT_DATE_FORMAT"),
        }


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


class ModelForm(InvalidMarkingMixin, PlausibleDatesMixin, OnlyChoiceMixin, forms.ModelForm):
    """A model form that validates the whole row before it is written:

    - fields the form does not show but the row already holds (the parent a child form is created under, the
      early end of a contract whose dates are edited) take part in the model's checks, so that a unique
      constraint or a check constraint on them is a message, never an ``IntegrityError``;
    - a model error about a field the form does not show goes to the field named in ``error_fields``, or stays at
      the top of the form with the field's name, never a ``ValueError``."""

    #: model field not on the form -> form field that shows its error
    error_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.set_date_ranges()

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        held = {
            f.name
            for f in self.instance._meta.concrete_fields
            if f.name not in self.fields
            and not f.primary_key
            and not getattr(f, "generated", False)
            and getattr(self.instance, f.attname, None) not in (None, "")
        }
        return exclude - held

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            opts = self.instance._meta
            remapped = {}
            for field, messages in errors.error_dict.items():
                if field == NON_FIELD_ERRORS or field in self.fields:
                    remapped.setdefault(field, []).extend(messages)
                    continue
                target = self.error_fields.get(field)
                if target in self.fields:
                    remapped.setdefault(target, []).extend(messages)
                    continue
                try:
                    label = opts.get_field(field).verbose_name
                except Exception:  # noqa: BLE001 - a key that is not a field keeps its name
                    label = field
                for message in ValidationError(messages).messages:
                    remapped.setdefault(NON_FIELD_ERRORS, []).append(
                        ValidationError("%(field)s: %(message)s", params={"field": label, "message": message})
                    )
            errors = ValidationError(remapped)
        super()._update_errors(errors)


class Form(InvalidMarkingMixin, PlausibleDatesMixin, OnlyChoiceMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.set_date_ranges()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def label_stand_in(model, fields, values):
    """An object of ``model`` holding only ``fields`` (no ``__init__``, no signal, no state), for its own
    ``__str__`` to write the label: the label stays the model's, read from the label fields alone."""
    obj = model.__new__(model)
    obj.__dict__.update(zip(fields, values, strict=True))
    return obj


class ValuesChoiceIterator(ModelChoiceIterator):
    """The options of a model select read with ``values_list``: the key and the fields the label needs (the
    model's ``label_fields``), no model instance built. A list page's filter selects built some 145 instances per
    request, a fifth of its time (docs/performance.md). The queryset is the field's own (its scope unchanged),
    only what it selects is narrowed; tests/core/test_rendering.py checks every filter select against
    ``str(obj)``."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        cache_key = choices_key(self.field)
        options = cache.get(cache_key) if cache_key else None
        if options is None:
            options = list(self.options())
            if cache_key:
                cache.set(cache_key, options, settings.MOULIN_DATA_CACHE_SECONDS)
        yield from options

    def options(self):
        model = self.queryset.model
        fields = model.label_fields
        key = self.field.to_field_name or "pk"
        for value, *values in self.queryset.prefetch_related(None).values_list(key, *fields):
            yield (value, str(label_stand_in(model, fields, values)))


def choices_key(field) -> str | None:
    """Where a filter select's options are kept (``FilterForm``): under the form and field that chose the
    queryset (``choices_source``), the user it was chosen for, the language, the day and the data version, which
    every committed write changes (decision 0011); None when they may not be kept (no user, caching off, or this
    request's own transaction holds a write)."""
    source = getattr(field, "choices_source", None)
    if source is None or not settings.MOULIN_DATA_CACHE_SECONDS:
        return None
    version = dataversion.current(connection)
    if version is None:
        return None
    return ":".join(
        ("choices", dataversion.BOOT, *source, get_language() or "", timezone.localdate().isoformat(), str(version))
    )


class KeptSelectBoundField(forms.BoundField):
    """A filter select whose options are kept (``choices_key``): its HTML is kept too, under the same key with
    what else it is written from (its name, its attributes, the value chosen). A list page's selects were about
    a millisecond of its time to write, each option through a dict of Django's ``optgroups``
    (docs/performance.md)."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        options_key = choices_key(self.field) if widget is None and not only_initial else None
        if options_key is None:
            return super().as_widget(widget, attrs, only_initial)
        widget = self.field.widget
        attrs = self.build_widget_attrs(attrs or {}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.auto_id)
        value = self.value()
        written = repr((options_key, self.html_name, sorted(widget.attrs.items()), sorted(attrs.items()), value))
        key = "select:" + hashlib.blake2b(written.encode(), digest_size=20).hexdigest()
        html = cache.get(key)
        if html is None:
            html = str(widget.render(name=self.html_name, value=value, attrs=attrs, renderer=self.form.renderer))
            cache.set(key, html, settings.MOULIN_DATA_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - written (and escaped) by the widget above


def reads_label_fields(field) -> bool:
    """Whether a select may read its options with ``ValuesChoiceIterator``: a model choice field of the usual
    kind (its label is ``str(obj)``) over a model that declares its ``label_fields``."""
    return (
        isinstance(field, forms.ModelChoiceField)
        and field.iterator is ModelChoiceIterator
        and type(field).label_from_instance is forms.ModelChoiceField.label_from_instance
        and bool(getattr(field.queryset.model, "label_fields", ()))
    )


class FilterForm(forms.Form):
    """Filters of a list page. ``lookups`` maps a field name to the ORM lookup it filters on.

    Its model selects read their options with ``values_list`` (``ValuesChoiceIterator``) when the model declares
    the fields its name reads (``label_fields``)."""

    lookups: dict[str, str] = {}
    #: the options of its model selects are kept under the data version, per user (``choices_key``): a form
    #: whose select's queryset depends on anything but the user and the day (the query string) sets it False
    cache_choices = True

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        user = getattr(request, "user", None)
        keep = self.cache_choices and user is not None and user.is_authenticated
        for name, field in self.fields.items():
            field.required = False
            if reads_label_fields(field):
                field.iterator = ValuesChoiceIterator
                if keep:
                    field.choices_source = (type(self).__module__, type(self).__qualname__, name, str(user.pk))
                    field.bound_field_class = KeptSelectBoundField
                field.widget.choices = field.choices
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


class ActionForm(Form):
    """An action confirmed by its one button: the page says what will happen (complete, issue, cancel)."""


class ConfirmForm(Form):
    """The confirmation of an action that cannot be undone (an erasure...): a box to tick, then the button."""

    confirm = forms.BooleanField(label=_("I confirm"), required=True)
