"""A list's column values (moulin.core.tables.resolve) are what the model shows: a choice field's label is the one
``get_FOO_display`` gives, read from a dict made once per field."""

import pytest
from django.utils import translation

from moulin.core.tables import resolve
from tests.core.test_rendering import _list_paths


def reference(obj, accessor):
    """The column value as it was read before: ``get_FOO_display()`` called on the last step, when it exists."""
    if callable(accessor):
        return accessor(obj)
    value = obj
    parts = accessor.split(".")
    for index, part in enumerate(parts):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None) if index == len(parts) - 1 else None
        value = display() if display is not None else getattr(value, part)
        if callable(value) and not hasattr(value, "all"):
            value = value()
    if hasattr(value, "all"):
        return ", ".join(str(item) for item in value.all())
    return value


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_list_column_reads_what_the_model_displays(client_as, demo_user, monkeypatch, language):
    """Every list page without URL arguments, as the administrator: every cell's value as before."""
    from moulin.core import tables

    seen = []

    def recording(obj, accessor):
        value = resolve(obj, accessor)
        if not callable(accessor):
            seen.append((obj, accessor, value, translation.get_language()))
        return value

    monkeypatch.setattr(tables, "resolve", recording)
    admin = demo_user("admin")
    admin.language = language
    admin.save(update_fields=["language"])
    client = client_as(admin)
    for path in _list_paths():
        assert client.get(path).status_code == 200, path
    assert {entry[3] for entry in seen} == {language}
    for obj, accessor, value, shown_in in seen:
        with translation.override(shown_in):
            assert value == reference(obj, accessor), (type(obj), accessor)
    assert len(seen) > 1000


def test_a_value_outside_the_choices_shows_as_it_is(demo_user):
    from moulin.projects.models import Project

    project = Project.objects.first()
    project.status = "not-a-status"
    assert resolve(project, "status") == project.get_status_display() == "not-a-status"
