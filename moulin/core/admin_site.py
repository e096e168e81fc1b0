"""The Django admin for superusers: every model of an app registered with sensible list pages.

Participants' personal records are deliberately absent: they are read only through the application, where
every read is written to the audit log (GDPR)."""

from django.contrib import admin
from django.db import models

from moulin.core.audit import is_personal, no_store


class AuditedAdminMixin:
    """The admin's pages of a personal family (board members, contacts, volunteers, users) are audited like the
    application's: the people a list shows, the record a change page shows; and never cached."""

    def _audit(self, request, response, objects, *, view):
        if not is_personal(self.model):
            return response
        no_store(response)
        if self.model._meta.app_label == "core":  # the audit log itself: reading it is not a read of a person
            return response
        objects = [o for o in objects if o is not None]
        if request.method == "GET" and response.status_code == 200 and objects:
            from moulin.core.models import AuditEvent
            from moulin.core.services import audit

            single = objects[0] if view == "change" else None
            audit(
                actor=request.user,
                action=AuditEvent.Action.VIEW,
                obj=single,
                object_type="" if single is not None else self.model._meta.label_lower,
                detail={"view": f"admin {view}", "path": request.path[:255], "count": len(objects)},
                subjects=objects,
            )
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}) or {}
        rows = list(getattr(changelist.get("cl"), "result_list", []) or [])
        return self._audit(request, response, rows, view="list")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", {}) or {}).get("original")
        return self._audit(request, response, [original], view="change")


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
        admin.site.register(model, type(f"{model.__name__}Admin", (AuditedAdminMixin, admin.ModelAdmin), attrs))
