"""Generic scoped views. Every list, detail, form and delete page of Moulin derives from these, so
each one reads through the model's policy (``visible_to``) and asks it before any write."""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.db import transaction
from django.db.models import F
from django.db.models.expressions import Col
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import View

from moulin.access.policy import ADD, CHANGE, DELETE
from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.core import pagecache
from moulin.core.audit import is_personal, no_store, read_log
from moulin.core.exports import export_rows
from moulin.core.models import AuditEvent
from moulin.core.pagination import KeptCountPaginator
from moulin.core.search import search
from moulin.core.services import DeletionRefused, audit, delete_object, save_form
from moulin.core.tables import model_through


def _page(url: str) -> str:
    return url.split("#", 1)[0]


def breadcrumb_parent(obj):
    """The record whose page holds ``obj``: its model's ``breadcrumb_parent`` (a property, or the name of the
    foreign key), or None at the top of the chain."""
    parent = getattr(obj, "breadcrumb_parent", None)
    return getattr(obj, parent) if isinstance(parent, str) else parent


def list_crumb(model):
    """The list page at the top of a model's chain (its ``breadcrumb_list``: label and URL name), if any."""
    root = getattr(model, "breadcrumb_list", None)
    return [(root[0], reverse(root[1]))] if root else []


def has_own_page(obj) -> bool:
    """False for a record shown on its parent's page (its address is the parent's, with a #fragment)."""
    parent = breadcrumb_parent(obj)
    return parent is None or _page(obj.get_absolute_url()) != _page(parent.get_absolute_url())


def record_crumbs(obj) -> list[tuple[str, str]]:
    """The way to ``obj``'s page, each step linked: the list of the topmost record, then every record of the
    chain that has a page of its own (labelled by its ``breadcrumb_label``, else its name)."""
    chain = []
    while obj is not None:
        chain.insert(0, obj)
        obj = breadcrumb_parent(obj)
    crumbs = list_crumb(type(chain[0]))
    shown = None
    for node in chain:
        url = node.get_absolute_url()
        if _page(url) == shown:
            continue
        crumbs.append((str(getattr(node, "breadcrumb_label", "") or node), url))
        shown = _page(url)
    return crumbs


def declares_chain(model) -> bool:
    return hasattr(model, "breadcrumb_list") or hasattr(model, "breadcrumb_parent")


def audits_reads(declared: bool | None, model) -> bool:
    """A view's ``audit_reads`` if it says, else whether its model's policy is personal."""
    if declared is not None:
        return declared
    return model is not None and is_personal(model)


class ScopedMixin:
    """Resolves the user's scope and reads the model through its policy.

    A view whose model has a ``personal`` policy audits itself, whatever its class: every object it reads
    (``get_object``, ``get_parent``, the rows of a list page) is recorded with the people concerned, a refused
    attempt (404, 403) is recorded as ``refused``, and its responses are never cached (``no-store``)."""

    model = None
    #: whether the view's reads are audited; ``None``: when the model's policy is personal
    audit_reads: bool | None = None
    #: whether its GET pages are kept whole per user under the data version (``moulin.core.pagecache``); never
    #: for a view that audits its reads, nor for one that shows a table the data version ignores (the audit log)
    cache_pages = False

    @classmethod
    def caches_pages(cls) -> bool:
        """Decided on the class, before a request: a view that sets its model per request (``FigureRecords``)
        answers for its class's model; a page that shows personal data all the same is ``no-store`` and never
        kept (``pagecache.store``)."""
        return cls.cache_pages and not audits_reads(cls.audit_reads, cls.model)

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        caches_pages = cls.caches_pages()

        def scoped_view(request, *args, **kwargs):
            page_key = pagecache.key_for(request) if caches_pages else None
            if page_key is not None and (hit := pagecache.cached_response(page_key)) is not None:
                return hit
            response = audited_view(request, *args, **kwargs)
            if page_key is not None:
                pagecache.store(request, page_key, response)
            return response

        def audited_view(request, *args, **kwargs):
            with read_log() as log:
                try:
                    response = view(request, *args, **kwargs)
                except (Http404, PermissionDenied) as exc:
                    instance = request.__dict__.get("_moulin_view")
                    if instance is None or not instance.audits_reads():
                        raise
                    instance.audit_refusal(exc)
                    return no_store(response_for_exception(request, exc))
                instance = request.__dict__.get("_moulin_view")
                if instance is not None:
                    instance.audit_response(response, log)
                return response

        functools.update_wrapper(scoped_view, view)
        return scoped_view if caches_pages else functools.update_wrapper(audited_view, view)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        request._moulin_view = self
        self.read_objects = []

    def audits_reads(self) -> bool:
        return audits_reads(self.audit_reads, self.model)

    def note_read(self, *objects) -> None:
        """Objects this request displays (recorded once the response is ready, if they are personal)."""
        self.read_objects.extend(o for o in objects if o is not None)

    def audit_response(self, response, log) -> None:
        personal = [o for o in self.read_objects if is_personal(o)]
        if personal or (self.model is not None and is_personal(self.model)):
            no_store(response)
        if (
            self.audit_reads is False
            or not personal
            or self.request.method not in ("GET", "HEAD")
            or response.status_code != 200
        ):
            return
        fresh = [o for o in personal if not log.covers(o)]
        if not fresh:
            return
        self.record_read(fresh)

    def record_read(self, objects) -> None:
        main = objects[0] if len(objects) == 1 else None
        detail = {"view": type(self).__name__, "path": self.request.path}
        if main is None:
            detail["count"] = len(objects)
            if self.request.GET:
                detail["query"] = self.request.GET.urlencode()[:500]
        audit(
            actor=self.request.user,
            action=AuditEvent.Action.VIEW,
            obj=main,
            object_type="" if main is not None else objects[0]._meta.label_lower,
            detail=detail,
            subjects=objects,
        )

    def audit_refusal(self, exc) -> None:
        """A refused attempt: who tried to open what (and, when the row exists, whose record it is)."""
        model = self.model
        lookup = getattr(self, "lookup_field", None)
        value = self.kwargs.get(getattr(self, "lookup_url_kwarg", ""), "") if lookup else ""
        target = None
        if getattr(self, "creating", False) and getattr(self, "parent_model", None) is not None:
            model, lookup = self.parent_model, self.parent_lookup
            value = self.kwargs.get(self.parent_url_kwarg, "")
        if value:
            try:
                target = model._default_manager.filter(**{lookup: value}).first()
            except (ValueError, ValidationError):
                target = None
        audit(
            actor=self.request.user,
            action=AuditEvent.Action.REFUSED,
            object_type=model._meta.label_lower,
            object_id=str(value)[:64],
            detail={
                "status": 404 if isinstance(exc, Http404) else 403,
                "method": self.request.method,
                "path": self.request.path[:255],
                "view": type(self).__name__,
            },
            subjects=[target] if target is not None else [],
        )

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


def heavy_fields_through(model, paths):
    """``path__field`` for every field a related model marks as too heavy for a list (``LIST_DEFERRED``, e.g. a
    commune's boundary): select_related would otherwise load and decode it for every row."""
    for path in paths:
        related = model
        for part in path.split("__"):
            related = related._meta.get_field(part).related_model
        for name in getattr(related, "LIST_DEFERRED", ()):
            yield f"{path}__{name}"


def figures_for_rows(rows, names: tuple[str, ...], grouped) -> None:
    """Set the figures ``names`` on each of ``rows`` that lacks them (a list reads them in its statement only
    when sorted on them, ``ScopedListView.sorted_on``), read for those rows in one grouped query:
    ``grouped(pks)`` gives ``(pk, figure, …)`` rows, one per row that has any; the others get 0."""
    missing = [row for row in rows if not hasattr(row, names[0])]
    if not missing:
        return
    found = {pk: figures for pk, *figures in grouped([row.pk for row in missing])}
    for row in missing:
        for name, value in zip(names, found.get(row.pk, [0] * len(names)), strict=True):
            setattr(row, name, value)


class ScopedListView(ScopedMixin, View):
    """A list page: search, filters, sorting, pagination, htmx refresh, and CSV/XLSX export of the same rows."""

    template_name = "components/list_page.html"
    cache_pages = True
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
            heavy = list(heavy_fields_through(qs.model, self.select_related))
            if heavy:
                qs = qs.defer(*heavy)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_filter_form(self):
        if self.filter_form_class is None:
            return None
        form = self.filter_form_class(self.request.GET or None, request=self.request)
        for name, lookup in getattr(form, "lookups", {}).items():
            if name in form.fields and not self.may_query(lookup.split("__icontains")[0]):
                del form.fields[name]
        return form

    def may_query(self, path: str) -> bool:
        """May the role search, filter, sort or read a column on ``path``? The policy decides (``may_query``),
        the same rule for the columns shown as for the search: a hidden field cannot be probed by a search."""
        return may_query(self.policy(), self.scope, path)

    def visible_columns(self):
        return [c for c in self.columns if self.may_query(column_path(c))]

    def get_search_fields(self) -> list[str]:
        return [f for f in self.search_fields if self.may_query(f)]

    def apply_search(self, qs, term):
        fields = self.get_search_fields()
        if not term or not fields:
            return qs
        return search(qs, fields, term)

    def sort_options(self):
        return {c.key: c.sort for c in self.visible_columns() if c.sort and self.may_query(c.sort)}

    def sorted_on(self, keys) -> bool:
        """Whether the request asks for a sort on one of ``keys`` (either direction): a list that reads some
        figures for its page's rows only (``prepare_rows``) needs them in the statement to sort on them."""
        return self.request.GET.get("sort", "").lstrip("-") in keys

    def apply_sort(self, qs):
        requested = self.request.GET.get("sort", "") or self.default_sort
        key = requested.lstrip("-")
        options = self.sort_options()
        if key not in options:
            requested, key = self.default_sort, self.default_sort.lstrip("-")
        if key in options:
            # ties broken in the same direction: an index on (field, id) serves the sort either way
            descending = requested.startswith("-")
            qs = qs.order_by(*(ordered(name, descending) for name in sort_keys(qs.model, options[key])))
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
        if self.create_url_name and self.policy().can(self.scope, ADD, self.model):
            return reverse(self.create_url_name)
        return ""

    def extra_context(self):
        return {}

    def prepare_rows(self, objects) -> None:
        """Read what the rows shown (a page, or an export's rows) need beyond the queryset, in one query for all
        of them: a hook for what ``prefetch_related`` would read as model instances."""

    def dispatch(self, request, *args, **kwargs):
        if not self.policy().can_list(self.scope):
            raise PermissionDenied(_("Your role does not give access to this list."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        qs, form, term, sort = self.filtered_queryset()
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            if (refused := before_export(request, self.policy())) is not None:
                return refused
            rows = list(qs[: settings.MOULIN_EXPORT_MAX_ROWS])
            self.prepare_rows(rows)
            audit(
                actor=request.user,
                action=AuditEvent.Action.EXPORT,
                object_type=self.model._meta.label_lower,
                detail={"format": fmt, "query": request.GET.urlencode()[:500], "count": len(rows)},
                subjects=rows,
            )
            return export_rows(
                self.visible_columns(), rows, filename=self.export_name or self.model._meta.model_name, fmt=fmt
            )
        paginator = KeptCountPaginator(qs, self.paginate_by or settings.MOULIN_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        self.prepare_rows(page.object_list)
        self.note_read(*page.object_list)
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        columns = self.visible_columns()
        context = {
            "view": self,
            "title": self.title or self.model._meta.verbose_name_plural.capitalize(),
            "intro": self.intro,
            "columns": columns,
            "rows": [(obj, [(c, c.display(obj)) for c in columns]) for obj in page.object_list],
            "page": page,
            "filter_form": form,
            "q": term,
            "sort": sort,
            "querystring": params.urlencode(),
            "sortless_querystring": _without(params, "sort"),
            "create_url": self.get_create_url(),
            "empty_message": self.empty_message,
            "searchable": bool(self.get_search_fields()),
        }
        context.update(self.extra_context())
        template = self.template_name
        if request.htmx and request.htmx.target == "results":
            template = f"{template}#results"
        return self.render(template, context)


class RelatedPk(F):
    """The primary key of the row the relations of a field's path reach (``session__start_date``: the session's
    id), read on that row's table. Django reads ``session__id`` from the list's own foreign key column instead,
    which SQLite does not know to be the session index's second column."""

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        column = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        pk = column.target.model._meta.pk
        return Col(column.alias, pk, output_field=pk)


def ordered(key, descending: bool):
    if isinstance(key, F):
        return key.desc() if descending else key.asc()
    return f"-{key}" if descending else key


def sort_keys(model, field: str) -> list:
    """What a list sorted on ``field`` orders by: the field, then the row's id, so that the order is total.

    A field of a related row (``session__start_date``) is followed by that row's id: the rows sharing it come
    together, and the order is the related table's (field, id) index, then, within each related row, the order
    of the list's foreign key index. SQLite, which plans without statistics, reads both indexes in order instead of
    sorting every row: the enrolments list sorted all 23,900 enrolments to show 25, 1.8x slower at ten times the
    network. A path through a reverse or many-to-many relation is sorted on the field and the id alone."""
    relations = field.split("__")[:-1]
    if not relations or model_through(model, relations) is None:
        return [field, "pk"]
    return [field, RelatedPk(field), "pk"]


def column_path(column) -> str:
    """The field a column shows, as an ORM path (a computed column answers for its sort field, if any)."""
    if column.sort:
        return column.sort
    accessor = column.accessor or column.key
    return accessor.replace(".", "__") if isinstance(accessor, str) else ""


def may_query(policy, scope, path: str) -> bool:
    check = getattr(policy, "may_query", None)
    return not path or check is None or check(scope, path)


def before_export(request, policy):
    """The check every export passes first (``MOULIN_BEFORE_EXPORT``: the password again for personal data)."""
    hook = getattr(settings, "MOULIN_BEFORE_EXPORT", "")
    return import_string(hook)(request, policy) if hook else None


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
        self.note_read(obj)
        return obj

    def check_object(self, obj):
        """Visible rows pass; a write view also asks the policy (403 when visible but not allowed)."""


class ScopedDetailView(ScopedObjectMixin, View):
    template_name = ""
    cache_pages = True

    def get_breadcrumbs(self):
        """The record's chain (see ``record_crumbs``), the page itself last and unlinked."""
        if not declares_chain(self.model):
            return []
        crumbs = record_crumbs(self.object)
        return [*crumbs[:-1], (crumbs[-1][0], "")]

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
    crumb_label = ""

    def get_parent(self):
        if self.parent_model is None:
            return None
        qs = self.parent_model._default_manager.all().visible_to(self.request.user)
        parent = get_object_or_404(qs, **{self.parent_lookup: self.kwargs[self.parent_url_kwarg]})
        self.note_read(parent)
        return parent

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

    def get_crumb_label(self):
        """The last crumb: ``crumb_label``, else "Edit" on a record's own page, else the page's title."""
        if self.crumb_label:
            return self.crumb_label
        if not self.creating and has_own_page(self.object):
            return _("Edit")
        return self.get_title()

    def get_breadcrumbs(self):
        """Derived from the chain: the parent's (creating) or the record's crumbs, then this page."""
        if self.creating and self.parent is not None and declares_chain(type(self.parent)):
            base = record_crumbs(self.parent)
        elif self.creating and self.parent is None and declares_chain(self.model):
            base = list_crumb(self.model)
        elif not self.creating and declares_chain(self.model):
            base = record_crumbs(self.object)
        else:
            return []
        return [*base, (self.get_crumb_label(), "")]

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        if self.creating:
            if self.parent is not None:
                return self.parent.get_absolute_url()
            root = list_crumb(self.model)
            return root[0][1] if root else ""
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

    def get_success_message(self):
        return self.success_message or _("Saved: %(thing)s.") % {"thing": self.object}

    def send_success_message(self):
        messages.success(self.request, self.get_success_message())

    def refused(self, form, exc: ValidationError):
        """A rule the service (or the model) refused: its message shows next to its field, nothing saved."""
        add_errors(form, exc)
        return self.invalid(form)

    def invalid(self, form):
        messages.error(self.request, _("Please correct the fields marked below: nothing was saved."))
        return self.render_form(form, status=422)

    def post(self, request, *args, **kwargs):
        self.prepare()
        form = self.form_class(**self.get_form_kwargs())
        if not form.is_valid():
            return self.invalid(form)
        try:
            with transaction.atomic():
                self.object = self.save(form)
        except ValidationError as exc:
            return self.refused(form, exc)
        self.send_success_message()
        return HttpResponseRedirect(self.get_success_url())


def add_errors(form, exc: ValidationError) -> None:
    """Put a refusal's messages on the form: on their field when the form has it, else above the fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ScopedActionView(ScopedFormView):
    """Confirm, then act on one record (complete, cancel, renew, end, erase...). The page says what will
    happen; the post runs ``perform(form)``, a service, and shows the message it returns. A refusal shows
    next to its field when the form asks for something; a bare confirmation (``refusal_as_message``) sends
    the user back to the record with the refusal as a message. Nothing is half-done either way."""

    refusal_as_message = False
    done_message = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def get_crumb_label(self):
        return self.crumb_label or self.get_title()

    def perform(self, form):
        """Run the action; return the message to show (or None when ``perform`` sent its own)."""
        raise NotImplementedError

    def save(self, form):
        self.done_message = self.perform(form)
        return self.object

    def send_success_message(self):
        if self.done_message:
            messages.success(self.request, self.done_message)

    def refused(self, form, exc: ValidationError):
        if not self.refusal_as_message:
            return super().refused(form, exc)
        messages.error(self.request, " ".join(exc.messages))
        return HttpResponseRedirect(self.get_cancel_url())


class ScopedDeleteView(ScopedObjectMixin, View):
    template_name = "components/confirm_delete.html"

    def check_object(self, obj):
        if not self.policy().can(self.scope, DELETE, obj):
            raise PermissionDenied(_("Your role does not allow deleting this record."))

    def get_success_url(self, obj):
        """Back to the page of the record it hung under, else to its model's list."""
        parent = breadcrumb_parent(obj)
        if parent is not None:
            return parent.get_absolute_url()
        root = list_crumb(type(obj))
        if not root:
            raise NotImplementedError(f"{type(self).__name__} says where to go after the deletion")
        return root[0][1]

    def delete(self, obj):
        """The write: a service (``delete_object`` unless the model's app has its own)."""
        delete_object(obj, actor=self.request.user)

    def get_breadcrumbs(self):
        """The list at the top of the record's chain, then "Delete"."""
        if not declares_chain(self.model):
            return []
        top = self.object
        while breadcrumb_parent(top) is not None:
            top = breadcrumb_parent(top)
        return [*list_crumb(type(top)), (_("Delete"), "")]

    def get(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        return self.render(self.template_name, {"object": obj, "cancel_url": obj.get_absolute_url()})

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        target = self.get_success_url(obj)
        try:
            self.delete(obj)
        except DeletionRefused as refused:
            messages.error(
                request,
                _("%(thing)s cannot be deleted while other records refer to it: %(blockers)s. Remove or "
                  "reassign those first.") % {"thing": obj, "blockers": "; ".join(refused.blockers)},
            )  # fmt: skip
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted: %(thing)s.") % {"thing": obj})
        return HttpResponseRedirect(target)


class AdminSettingsView(ScopedFormView):
    """The page of a one-row settings model (``Model.load()``, an ``AdminSettingsPolicy``): administrators only."""

    refused_message = ""
    #: where Cancel goes
    list_url_name = ""

    def get_object(self):
        obj = self.model.load()
        if not self.base_queryset().filter(pk=obj.pk).exists():
            raise PermissionDenied(self.refused_message)
        self.check_object(obj)
        return obj

    def get_cancel_url(self):
        return reverse(self.list_url_name)

    def get_success_url(self):
        return self.model.load().get_absolute_url()

    def get_breadcrumbs(self):
        return [(self.title, "")]
