"""The Django admin for superusers: every model of an app registered with sensible list pages.

Participants' personal records are deliberately absent: they are read only through the application, where
every read is written to the audit log (GDPR)."""

from django.contrib import admin
from django.db import models


def _list_display(model) -> list[str]:
    names = []
    for field in model._meta.fields:
        if field.name in {"id", "password", "created_at", "updated_at", "boundary", "key_hash"}:
            continue
        if isinstance(field, models.TextField | models.JSONField | models.FileField):
            continue
        names.append(field.name)
    return ["__str__", *names[:6]]


def _search_fields(model) -> list[str]:
    wanted = ("name", "code", "email", "full_name", "person_name", "title", "reference", "volunteer_name")
    return [f.name for f in model._meta.fields if f.name in wanted]


def register_models(*models_, read_only=()) -> None:
    for model in models_:
        if admin.site.is_registered(model):
            continue
        foreign = [f.name for f in model._meta.fields if f.many_to_one]
        attrs = {
            "list_display": _list_display(model),
            "search_fields": _search_fields(model),
            "list_select_related": foreign,
            "autocomplete_fields": [],
            "list_per_page": 50,
        }
        if model in read_only:
            attrs.update(
                has_add_permission=lambda self, request: False,
                has_change_permission=lambda self, request, obj=None: False,
                has_delete_permission=lambda self, request, obj=None: False,
            )
        admin.site.register(model, type(f"{model.__name__}Admin", (admin.ModelAdmin,), attrs))
