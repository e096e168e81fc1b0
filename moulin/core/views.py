"""Generic scoped views. Every list, detail, form and delete page of Moulin derives from these, so
each one reads through the model's policy (``visible_to``) and asks it before any write."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from moulin.access.policy import ADD, CHANGE, DELETE
from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.core.exports import export_rows
from moulin.core.models import AuditEvent
from moulin.core.search import search
from moulin.core.services import DeletionRefused, audit, delete_object, save_form


class ScopedMixin:
    """Resolves the user's scope and reads the model through its policy."""

    model = None

    @property
    def scope(self):
        return scope_for(self.request.user)

    def policy(self):
        return policy_for(self.model)

    def base_queryset(self):
        return self.model._default_manager.all().visible_to(self.request.user)

    def get_breadcrumbs(self):
        return []

    def render(self, template, context, status=200):
        context.setdefault("breadcrumbs", self.get_breadcrumbs())
        response = TemplateResponse(self.request, template, context, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response


class ScopedListView(ScopedMixin, View):
    """A list page: search, filters, sorting, pagination, htmx refresh, and CSV/XLSX export of the same rows."""

    template_name = "components/list_page.html"
    title = ""
    columns: list = []
    search_fields: list[str] = []
    filter_form_class = None
    default_sort = ""
    paginate_by = None
    export_name = ""
    select_related: list[str] = []
    prefetch_related: list[str] = []
    create_url_name = ""
    empty_message = ""
    intro = ""

    def get_queryset(self):
        qs = self.base_queryset()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_filter_form(self):
        if self.filter_form_class is None:
            return None
        return self.filter_form_class(self.request.GET or None, request=self.request)

    def apply_search(self, qs, term):
        return search(qs, self.search_fields, term)

    def sort_options(self):
        return {c.key: c.sort for c in self.columns if c.sort}

    def apply_sort(self, qs):
        requested = self.request.GET.get("sort", "") or self.default_sort
        key = requested.lstrip("-")
        options = self.sort_options()
        if key not in options:
            requested, key = self.default_sort, self.default_sort.lstrip("-")
        if key in options:
            field = options[key]
            qs = qs.order_by(f"-{field}" if requested.startswith("-") else field, "pk")
        return qs, requested

    def filtered_queryset(self):
        qs = self.get_queryset()
        form = self.get_filter_form()
        if form is not None and form.is_valid():
            qs = form.filter_queryset(qs)
        term = self.request.GET.get("q", "").strip()
        qs = self.apply_search(qs, term)
        qs, sort = self.apply_sort(qs)
        return qs, form, term, sort

    def get_create_url(self):
        from django.urls import reverse

        if self.create_url_name and self.policy().can(self.scope, ADD, self.model):
            return reverse(self.create_url_name)
        return ""

    def extra_context(self):
        return {}

    def dispatch(self, request, *args, **kwargs):
        if not self.policy().can_list(self.scope):
            raise PermissionDenied(_("Your role does not give access to this list."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        qs, form, term, sort = self.filtered_queryset()
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            rows = qs[: settings.MOULIN_EXPORT_MAX_ROWS]
            audit(
                actor=request.user,
                action=AuditEvent.Action.EXPORT,
                object_type=self.model._meta.label_lower,
                detail={"format": fmt, "query": request.GET.urlencode()},
            )
            return export_rows(self.columns, rows, filename=self.export_name or self.model._meta.model_name, fmt=fmt)
        paginator = Paginator(qs, self.paginate_by or settings.MOULIN_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        context = {
            "view": self,
            "title": self.title or self.model._meta.verbose_name_plural.capitalize(),
            "intro": self.intro,
            "columns": self.columns,
            "rows": [(obj, [(c, c.display(obj)) for c in self.columns]) for obj in page.object_list],
            "page": page,
            "filter_form": form,
            "q": term,
            "sort": sort,
            "querystring": params.urlencode(),
            "sortless_querystring": _without(params, "sort"),
            "create_url": self.get_create_url(),
            "empty_message": self.empty_message,
            "searchable": bool(self.search_fields),
        }
        context.update(self.extra_context())
        template = self.template_name
        if request.htmx and request.htmx.target == "results":
            template = f"{template}#results"
        return self.render(template, context)


def _without(params, key):
    params = params.copy()
    params.pop(key, None)
    return params.urlencode()


class ScopedObjectMixin(ScopedMixin):
    lookup_field = "pk"
    lookup_url_kwarg = "pk"

    def get_object(self):
        qs = self.base_queryset()
        obj = get_object_or_404(qs, **{self.lookup_field: self.kwargs[self.lookup_url_kwarg]})
        self.check_object(obj)
        return obj

    def check_object(self, obj):
        """Visible rows pass; a write view also asks the policy (403 when visible but not allowed)."""


class ScopedDetailView(ScopedObjectMixin, View):
    template_name = ""

    def get_context(self, obj):
        return {"object": obj}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context(self.object)
        context.setdefault("can_change", self.policy().can(self.scope, CHANGE, self.object))
        context.setdefault("can_delete", self.policy().can(self.scope, DELETE, self.object))
        return self.render(self.template_name, context)


class ScopedFormView(ScopedObjectMixin, View):
    """Create (under an optional parent) or update one object. Validation happens in the form and the
    model; the write happens in one transaction through a service; errors show next to each field."""

    form_class = None
    template_name = "components/form_page.html"
    parent_model = None
    parent_lookup = "slug"
    parent_url_kwarg = "slug"
    creating = False
    title = ""
    success_message = ""

    def get_parent(self):
        if self.parent_model is None:
            return None
        qs = self.parent_model._default_manager.all().visible_to(self.request.user)
        return get_object_or_404(qs, **{self.parent_lookup: self.kwargs[self.parent_url_kwarg]})

    def new_instance(self, parent):
        instance = self.model()
        if parent is not None:
            setattr(instance, self.parent_field_name(), parent)
        return instance

    def parent_field_name(self):
        for field in self.model._meta.get_fields():
            if getattr(field, "related_model", None) is self.parent_model and field.many_to_one:
                return field.name
        raise ValueError(f"{self.model} has no foreign key to {self.parent_model}")

    def check_object(self, obj):
        if not self.policy().can(self.scope, CHANGE, obj):
            raise PermissionDenied(_("You may read this record but not change it."))

    def prepare(self):
        if self.creating:
            self.parent = self.get_parent()
            if not self.policy().can(self.scope, ADD, self.parent if self.parent is not None else self.model):
                raise PermissionDenied(_("Your role does not allow adding this here."))
            self.object = self.new_instance(self.parent)
        else:
            self.object = self.get_object()
            self.parent = getattr(self.object, self.parent_field_name()) if self.parent_model else None

    def get_form_kwargs(self):
        kwargs = {"instance": self.object}
        if self.request.method == "POST":
            kwargs.update(data=self.request.POST, files=self.request.FILES)
        kwargs["request"] = self.request
        return kwargs

    def get_title(self):
        if self.title:
            return self.title
        name = self.model._meta.verbose_name
        if self.creating:
            return _("New %(thing)s") % {"thing": name}
        return _("Edit %(thing)s") % {"thing": self.object}

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        if self.creating:
            return self.parent.get_absolute_url() if self.parent is not None else ""
        return self.object.get_absolute_url()

    def save(self, form):
        return save_form(form, actor=self.request.user)

    def render_form(self, form, status=200):
        return self.render(
            self.template_name,
            {
                "form": form,
                "object": self.object,
                "parent": self.parent,
                "title": self.get_title(),
                "cancel_url": self.get_cancel_url(),
                "creating": self.creating,
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        self.prepare()
        return self.render_form(self.form_class(**self.get_form_kwargs()))

    def post(self, request, *args, **kwargs):
        self.prepare()
        form = self.form_class(**self.get_form_kwargs())
        if not form.is_valid():
            messages.error(request, _("Please correct the fields marked below: nothing was saved."))
            return self.render_form(form, status=422)
        self.object = self.save(form)
        messages.success(request, self.success_message or _("Saved: %(thing)s.") % {"thing": self.object})
        return HttpResponseRedirect(self.get_success_url())


class ScopedDeleteView(ScopedObjectMixin, View):
    template_name = "components/confirm_delete.html"

    def check_object(self, obj):
        if not self.policy().can(self.scope, DELETE, obj):
            raise PermissionDenied(_("Your role does not allow deleting this record."))

    def get_success_url(self, obj):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render(self.template_name, {"object": obj, "cancel_url": obj.get_absolute_url()})

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        target = self.get_success_url(obj)
        try:
            delete_object(obj, actor=request.user)
        except DeletionRefused as refused:
            messages.error(
                request,
                _("%(thing)s cannot be deleted while other records refer to it: %(blockers)s. Remove or "
                  "reassign those first.") % {"thing": obj, "blockers": "; ".join(refused.blockers)},
            )  # fmt: skip
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted: %(thing)s.") % {"thing": obj})
        return HttpResponseRedirect(target)
