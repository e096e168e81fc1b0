"""Property-based fuzzing of every form of the site, as a role that may use it.

The forms are found by walking the URL patterns (as ``tests/test_scope.py`` does): every view that answers POST,
except delete confirmations. For each, the first role among the demo's that may open it (a record in its scope,
the page answering 200) posts values drawn by hypothesis for each field of the form: valid choices and garbage,
dates from year 1 to 9999, huge and malformed numbers, long text, NUL characters, formulas. The site must never
answer 500, and a refused post must leave every table as it was (nothing half-written).

Bounded in time: a few examples per form (``MOULIN_FUZZ_EXAMPLES``, default 2), ``derandomize=True`` so that a run
is reproducible, no deadline.
"""

import datetime
import os

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from moulin.access.querysets import policy_for
from moulin.access.scope import forget_scope, scope_for
from moulin.core.views import ScopedDeleteView, ScopedFormView
from tests.test_scope import ALL_PATTERNS

EXAMPLES = int(os.environ.get("MOULIN_FUZZ_EXAMPLES", "2"))
ROLES = ["manager", "coach", "staff", "admin"]
UNCOUNTED = {"core.auditevent", "core.auditsubject", "sessions.session", "axes.accessattempt", "axes.accesslog",
             "axes.accessfailurelog"}  # fmt: skip

FORM_PAGES = [
    (name, route, view_class)
    for name, route, _pattern, view_class in ALL_PATTERNS
    if isinstance(view_class, type) and hasattr(view_class, "post") and not issubclass(view_class, ScopedDeleteView)
]

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
NASTY_TEXT = st.sampled_from(
    ["", " ", "=1+1", "@SUM(A1)", "-2", "a\x00b", "x" * 5000, "<script>alert(1)</script>", "Ωμέγα", "0", "-1"]
)
NASTY_NUMBERS = st.sampled_from(["", "1e400", "NaN", "inf", "-0", "3.6e24", "99999999999999999999", "1,5", "x"])
NASTY_DATES = st.sampled_from(["", "0001-01-01", "9999-12-31", "2026-02-30", "31.12.2026", "yesterday", "2026-13-01"])


def field_strategy(field):
    if isinstance(field, forms.FileField):
        return st.just(None)
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false"])
    if isinstance(field, forms.ModelMultipleChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:5]]
        return st.lists(st.sampled_from([*pks, "0", "999999999", "abc"]), max_size=3)
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list(field.to_field_name or "pk", flat=True)[:5]]
        return st.sampled_from([*pks, "", "0", "-1", "999999999", "abc"]) if pks else st.sampled_from(["", "1"])
    if isinstance(field, forms.MultipleChoiceField):
        values = [str(v) for v, _label in field.choices if v not in ("", None)]
        return st.lists(st.sampled_from([*values, "nonsense"]), max_size=3)
    if isinstance(field, forms.ChoiceField):
        values = [str(v) for v, _label in field.choices if not isinstance(_label, list | tuple)]
        return st.sampled_from([*values, "nonsense", ""]) if values else TEXT
    if isinstance(field, forms.DateField):
        iso = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(str)
        near = st.integers(-4000, 4000).map(lambda d: str(datetime.date(2026, 6, 15) + datetime.timedelta(days=d)))
        return st.one_of(iso, near, NASTY_DATES)
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.one_of(st.integers(-(10**30), 10**30).map(str), st.integers(-5, 100).map(str), NASTY_NUMBERS)
    if isinstance(field, forms.UUIDField):
        return st.one_of(st.uuids().map(str), st.sampled_from(["", "not-a-uuid"]))
    return st.one_of(TEXT, NASTY_TEXT)


def row_counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in UNCOUNTED and m._meta.managed and not m._meta.proxy
    }


def lookup_for(route, view_class):
    """The model, field and URL keyword that address the page's record (``None`` for a page without one)."""
    if "<" not in route:
        return None
    if issubclass(view_class, ScopedFormView) and view_class.creating and view_class.parent_model:
        return view_class.parent_model, view_class.parent_lookup, view_class.parent_url_kwarg
    kwarg = route.split("<", 1)[1].split(">", 1)[0].split(":")[-1]
    model = getattr(view_class, "model", None)
    field = getattr(view_class, "lookup_field", None) or kwarg
    if model is None:
        return None
    candidates = [model, *(f.related_model for f in model._meta.fields if f.many_to_one)]
    for candidate in candidates:
        if field == "pk" or any(f.name == field for f in candidate._meta.fields):
            return candidate, field, getattr(view_class, "lookup_url_kwarg", None) or kwarg
    return None


def url_and_client(name, route, view_class, client_as, demo_user):
    """The page's address for the first role that may open it, with that role's client (a page that only
    answers POST counts as open when its GET is refused as a method, 405)."""
    lookup = lookup_for(route, view_class)
    for role in ROLES:
        user = demo_user(role)
        kwargs = {}
        if "<" in route:
            if lookup is None:
                continue
            model, field, kwarg = lookup
            target = policy_for(model).visible(model._default_manager.all(), scope_for(user)).order_by("pk").first()
            if target is None:
                continue
            kwargs = {kwarg: getattr(target, field)}
        url = reverse(name, kwargs=kwargs)
        client = client_as(role)
        response = client.get(url)
        if response.status_code in (200, 405):
            return url, client, response
    return None, None, None


def form_fields(page, view_class):
    form = (page.context or {}).get("form") if page.context is not None else None
    if form is not None:
        return form, dict(form.fields)
    # a page that only answers POST: the fields of its model's form
    model = getattr(view_class, "model", None)
    factory = forms.modelform_factory(model, fields="__all__")()
    return factory, dict(factory.fields)


@pytest.mark.parametrize("name,route,view_class", FORM_PAGES, ids=[name for name, _r, _v in FORM_PAGES])
def test_random_input_never_breaks_a_form(name, route, view_class, client_as, demo_user):
    url, client, page = url_and_client(name, route, view_class, client_as, demo_user)
    assert url is not None, f"no demo role may open {name}: the demo must give one a record to use it on"
    form, fields = form_fields(page, view_class)

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.data())
    def post_random_values(data):
        values = {}
        for field_name, field in fields.items():
            value = data.draw(field_strategy(field), label=field_name)
            if value is not None:
                values[form.add_prefix(field_name)] = value
        before = row_counts()
        response = client.post(url, values)  # a server error raises here and fails the test
        assert response.status_code in (200, 302, 403, 404, 422), (name, response.status_code, values)
        if response.status_code != 302:
            assert row_counts() == before, f"{name}: a refused post changed the database ({values})"
        forget_scope(client.user)

    post_random_values()


def test_the_fuzzer_reaches_the_forms_of_every_app():
    reached = {name.split(":")[0] for name, _r, _v in FORM_PAGES}
    assert {"participants", "organisations", "projects", "partners", "training", "accounts", "core"} <= reached
    assert len(FORM_PAGES) > 60
