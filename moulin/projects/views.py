from functools import partial

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from moulin.access.policy import ADD, CHANGE
from moulin.access.querysets import policy_for
from moulin.core.capabilities import for_model
from moulin.core.pdf import render_pdf
from moulin.core.tables import Column
from moulin.core.views import ScopedDeleteView, ScopedDetailView, ScopedFormView, ScopedListView
from moulin.core.workflow import available_transitions
from moulin.partners.forms import ProjectPartnershipForm
from moulin.partners.models import Partnership
from moulin.projects import forms
from moulin.projects.indicators import series_of, source_label
from moulin.projects.models import OPEN_NEEDS, Indicator, IndicatorValue, Need, Project, Team
from moulin.projects.planning import commune_plan
from moulin.projects.services import delete_project, save_project, transition_need
from moulin.territory.models import Commune

PROJECTS_CRUMB = (_("Projects"), reverse_lazy("projects:project_list"))
PLANNING_CRUMB = (_("Local planning"), reverse_lazy("projects:planning_index"))


# --- needs ---------------------------------------------------------------------------------------------------


class NeedList(ScopedListView):
    model = Need
    title = _("Local needs")
    intro = _("Needs named by local officials, partners, boards and residents, and the projects that answer them.")
    filter_form_class = forms.NeedFilterForm
    search_fields = ["title", "description", "commune__name"]
    default_sort = "-raised_on"
    export_name = "local-needs"
    create_url_name = "projects:need_create"
    select_related = ["commune", "domain"]
    columns = [
        Column("raised_on", _("Raised on"), sort="raised_on"),
        Column("title", _("Need"), sort="title", link=True),
        Column("commune", _("Commune"), "commune.name", sort="commune__name"),
        Column("domain", _("Domain"), "domain", sort="domain__position"),
        Column("raised_by", _("Raised by"), sort="raised_by"),
        Column("priority", _("Priority"), sort="priority"),
        Column("status", _("Status"), sort="status"),
        Column("projects", _("Answered by")),
    ]

    def get_queryset(self):
        visible = Project.objects.visible_to(self.request.user).only("pk", "name")
        return super().get_queryset().prefetch_related(Prefetch("projects", queryset=visible))

    def get_breadcrumbs(self):
        return [(_("Local needs"), "")]


class NeedDetail(ScopedDetailView):
    model = Need
    template_name = "projects/need_detail.html"

    def get_context(self, need):
        user = self.request.user
        return {
            "object": need,
            "need": need,
            "projects": Project.objects.visible_to(user).filter(needs=need).select_related("organisation"),
            "transitions": available_transitions(user, need),
            "can_move": policy_for(Need).can(user.scope, CHANGE, need),
        }


class NeedCreate(ScopedFormView):
    model = Need
    form_class = forms.NeedForm
    creating = True
    title = _("Record a local need")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        code = self.request.GET.get("commune")
        if code:
            commune = Commune.objects.filter(code=code).first()
            kwargs["initial"] = {"commune": commune}
        return kwargs


class NeedUpdate(ScopedFormView):
    model = Need
    form_class = forms.NeedForm


class NeedStatusChange(ScopedFormView):
    """Move a need to its next status (assessed, declined with a reason, reopened)."""

    model = Need
    form_class = forms.NeedStatusForm
    crumb_label = _("Status")

    def get_title(self):
        return gettext("Status of “%(need)s”") % {"need": self.object.title}

    def save(self, form):
        return transition_need(
            self.object,
            form.cleaned_data["transition"],
            actor=self.request.user,
            reason=form.cleaned_data.get("decline_reason", ""),
        )


class NeedDelete(ScopedDeleteView):
    model = Need


# --- projects ------------------------------------------------------------------------------------------------


def add_commune_names(rows, communes) -> None:
    """``commune_names`` on each of ``rows``: the names of the communes of its many-to-many field ``communes``
    (``Project.communes``, ``Team.communes``), in one query of names, sorted (a prefetch built every commune of
    the page as a model instance)."""
    by_pk = {row.pk: row for row in rows}
    for row in by_pk.values():
        row.commune_names = []
    through = communes.through
    owner = communes.field.m2m_field_name()
    links = through.objects.filter(**{f"{owner}__in": list(by_pk)}).order_by(owner, "commune__name")
    for pk, name in links.values_list(owner, "commune__name"):
        by_pk[pk].commune_names.append(name)


def _count(model, field, **filters):
    rows = model.objects.filter(**{field: OuterRef("pk")}, **filters).values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


class ProjectList(ScopedListView):
    model = Project
    title = _("Projects")
    intro = _("Projects of the member organisations: long-term services and short-term actions, in five domains.")
    filter_form_class = forms.ProjectFilterForm
    search_fields = ["name", "objectives", "organisation__name", "organisation__short_name"]
    default_sort = "name"
    export_name = "projects"
    create_url_name = "projects:project_create"
    select_related = ["organisation", "domain"]
    columns = [
        Column("name", _("Project"), sort="name", link=True),
        Column("organisation", _("Lead organisation"), "organisation.display_name", sort="organisation__name"),
        Column("domain", _("Domain"), "domain", sort="domain__position"),
        Column("term", _("Term"), sort="term"),
        Column("service_line", _("Service line"), sort="service_line"),
        Column("status", _("Status"), sort="status"),
        Column("start", _("Start"), sort="start"),
        Column("end", _("End"), sort="end"),
        Column("communes", _("Communes"), lambda project: ", ".join(project.commune_names)),
        Column("n_needs", _("Needs"), sort="n_needs", align="text-end"),
        Column("n_teams", _("Teams"), sort="n_teams", align="text-end"),
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(n_needs=_count(Project.needs.through, "project"), n_teams=_count(Team, "project"))
        )

    def prepare_rows(self, projects) -> None:
        add_commune_names(projects, Project.communes)

    def get_breadcrumbs(self):
        return [(_("Projects"), "")]


class ProjectDetail(ScopedDetailView):
    model = Project
    template_name = "projects/project_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("organisation", "domain")

    def get_context(self, project):
        user = self.request.user
        scope = user.scope
        indicators = list(
            Indicator.objects.visible_to(user).filter(project=project).prefetch_related("values", "project__teams")
        )
        series_of(indicators)
        chart = {"indicators": []}
        for indicator in indicators:
            indicator.source_label = source_label(indicator.source)
            chart["indicators"].append({
                "id": indicator.pk, "name": indicator.name, "unit": indicator.unit,
                "years": [r["year"] for r in indicator.rows],
                "target": [float(r["target"]) if r["target"] is not None else None for r in indicator.rows],
                "actual": [float(r["actual"]) if r["actual"] is not None else None for r in indicator.rows],
            })  # fmt: skip
        teams_visible = policy_for(Team).can_list(scope)
        return {
            "object": project,
            "project": project,
            "needs": Need.objects.visible_to(user).filter(projects=project).select_related("commune", "domain"),
            "communes": project.communes.all(),
            "partnerships": Partnership.objects.visible_to(user).filter(project=project).select_related("partner"),
            "teams": Team.objects.visible_to(user)
            .filter(project=project)
            .select_related("leader")
            .prefetch_related("communes")
            if teams_visible
            else [],
            "teams_visible": teams_visible,
            "teams_count": project.teams.count(),
            "indicators": indicators,
            "chart": chart,
            "chart_labels": {"target": gettext("Target"), "actual": gettext("Actual")},
            "can_add_indicator": policy_for(Indicator).can(scope, ADD, project),
            "can_add_team": policy_for(Team).can(scope, ADD, project),
            "can_add_partner": policy_for(Partnership).can(scope, ADD, project),
            "sections": [section for fn in for_model("record_sections", "projects.Project")
                         if (section := fn(project, user))],
        }  # fmt: skip


class ProjectFormMixin:
    model = Project
    form_class = forms.ProjectForm

    def save(self, form):
        return save_project(form, actor=self.request.user)


class ProjectCreate(ProjectFormMixin, ScopedFormView):
    creating = True
    crumb_label = _("New project")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        need_id = self.request.GET.get("need")
        if need_id and need_id.isdigit():
            need = Need.objects.visible_to(self.request.user).filter(pk=need_id).first()
            if need is not None:
                kwargs["initial"] = {"needs": [need], "communes": [need.commune], "domain": need.domain,
                                     "start": timezone.localdate()}  # fmt: skip
        return kwargs


class ProjectUpdate(ProjectFormMixin, ScopedFormView):
    pass


class ProjectDelete(ScopedDeleteView):
    model = Project

    def delete(self, obj):
        delete_project(obj, actor=self.request.user)


class UnderProjectMixin:
    """Pages of a record hanging under a project: indicators, their figures, teams, partnerships."""

    def project_of(self):
        parent = getattr(self, "parent", None)
        target = parent if parent is not None else self.object
        while not isinstance(target, Project):
            target = target.project if hasattr(target, "project") else target.indicator
        return target

    def get_success_url(self):
        return self.project_of().get_absolute_url()

    def get_cancel_url(self):
        return self.project_of().get_absolute_url()


class UnderProjectDelete(ScopedDeleteView):
    def get_success_url(self, obj):
        return obj.get_absolute_url()


class UnderProjectCreate(UnderProjectMixin, ScopedFormView):
    creating = True
    parent_model = Project
    parent_lookup = "pk"
    parent_url_kwarg = "pk"


class UnderProjectUpdate(UnderProjectMixin, ScopedFormView):
    pass


class IndicatorCreate(UnderProjectCreate):
    model = Indicator
    form_class = forms.IndicatorForm


class IndicatorUpdate(UnderProjectUpdate):
    model = Indicator
    form_class = forms.IndicatorForm


class IndicatorDelete(UnderProjectDelete):
    model = Indicator


class IndicatorValueCreate(UnderProjectCreate):
    model = IndicatorValue
    form_class = forms.IndicatorValueForm
    parent_model = Indicator


class IndicatorValueUpdate(UnderProjectUpdate):
    model = IndicatorValue
    form_class = forms.IndicatorValueForm


class IndicatorValueDelete(UnderProjectDelete):
    model = IndicatorValue


class TeamCreate(UnderProjectCreate):
    model = Team
    form_class = forms.TeamForm


class TeamUpdate(UnderProjectUpdate):
    model = Team
    form_class = forms.TeamForm

    def get_breadcrumbs(self):
        # a team has its own page, but its form is reached from the project's
        project = self.object.project
        return [PROJECTS_CRUMB, (project.name, project.get_absolute_url()), (self.get_title(), "")]


class TeamDelete(UnderProjectDelete):
    model = Team

    def get_breadcrumbs(self):
        return [PROJECTS_CRUMB, (_("Delete"), "")]


class ProjectPartnershipCreate(UnderProjectCreate):
    model = Partnership
    form_class = ProjectPartnershipForm


# --- teams ---------------------------------------------------------------------------------------------------


class TeamList(ScopedListView):
    model = Team
    title = _("Teams")
    intro = _("The field teams of the projects, with their leaders and the communes they work in.")
    filter_form_class = forms.TeamFilterForm
    search_fields = ["name", "project__name", "leader__full_name"]
    default_sort = "name"
    export_name = "teams"
    select_related = ["project__organisation", "leader"]
    columns = [
        Column("name", _("Team"), sort="name", link=True),
        Column("project", _("Project"), "project.name", sort="project__name"),
        Column("organisation", _("Organisation"), "project.organisation.display_name",
               sort="project__organisation__name"),
        Column("leader", _("Leader"), "leader", sort="leader__full_name"),
        Column("size", _("Size"), sort="size", align="text-end"),
        Column("communes", _("Communes"), lambda team: ", ".join(team.commune_names)),
        Column("is_active", _("Active"), sort="is_active"),
    ]  # fmt: skip

    def prepare_rows(self, teams) -> None:
        add_commune_names(teams, Team.communes)

    def get_breadcrumbs(self):
        return [(_("Teams"), "")]


class TeamDetail(ScopedDetailView):
    model = Team
    template_name = "projects/team_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("project__organisation", "leader")

    def get_context(self, team):
        return {"object": team, "team": team, "communes": team.communes.all()}


# --- planning ------------------------------------------------------------------------------------------------


class PlanningIndex(ScopedListView):
    """Communes with needs or projects the user may see: the way into each commune's planning."""

    model = Commune
    title = _("Local planning")
    intro = _("Needs raised, needs addressed, projects running and organisations present, per commune and year.")
    search_fields = ["name", "code"]
    default_sort = "name"
    export_name = "local-planning"
    select_related = ["canton"]
    columns = [
        Column("name", _("Commune"), sort="name", link=True),
        Column("canton", _("Canton"), "canton.name", sort="canton__name"),
        Column("n_needs", _("Needs"), sort="n_needs", align="text-end"),
        Column("n_open", _("Open needs"), sort="n_open", align="text-end"),
        Column("n_projects", _("Projects"), sort="n_projects", align="text-end"),
    ]

    #: sorting on a count needs the counts in the statement; otherwise the page's rows get them in two queries
    COUNT_SORTS = frozenset({"n_needs", "n_open", "n_projects"})

    def counted(self):
        """What the user counts: the needs, and the projects' commune links (the ministry officer counts the whole
        network, others their scope)."""
        user = self.request.user
        needs = Need.objects.counted_for(user)
        links = Project.communes.through.objects.filter(project__in=Project.objects.counted_for(user).values("pk"))
        return needs, links

    def get_queryset(self):
        needs, links = self.counted()
        # the communes with a need or a project: two uncorrelated subqueries, each read once (a count per commune
        # in the filter ran both counts for every commune, for the pager's count and again for the rows)
        qs = super().get_queryset().filter(Q(pk__in=needs.values("commune")) | Q(pk__in=links.values("commune")))
        if not self.sorted_on(self.COUNT_SORTS):
            return qs

        def counted(rows):
            rows = rows.filter(commune=OuterRef("pk")).order_by().values("commune")
            return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

        return qs.annotate(n_needs=counted(needs), n_open=counted(needs.open()), n_projects=counted(links))

    def prepare_rows(self, objects) -> None:
        missing = [commune for commune in objects if not hasattr(commune, "n_needs")]
        if not missing:
            return
        needs, links = self.counted()
        ids = [commune.pk for commune in missing]
        need_counts = {
            row["commune"]: row
            for row in needs.filter(commune__in=ids).order_by().values("commune")
            .annotate(n=Count("pk"), n_open=Count("pk", filter=OPEN_NEEDS))
        }  # fmt: skip
        project_counts = dict(
            links.filter(commune__in=ids)
            .order_by()
            .values("commune")
            .annotate(n=Count("pk"))
            .values_list("commune", "n")
        )
        for commune in missing:
            row = need_counts.get(commune.pk, {})
            commune.n_needs, commune.n_open = row.get("n", 0), row.get("n_open", 0)
            commune.n_projects = project_counts.get(commune.pk, 0)

    def render(self, template, context, status=200):
        # each commune of this list leads to its planning page, not to the commune page
        for obj, _cells in context.get("rows", []):
            obj.get_absolute_url = partial(reverse, "projects:planning", args=[obj.code])
        return super().render(template, context, status)

    def get_breadcrumbs(self):
        return [(_("Local planning"), "")]


class PlanningMixin:
    model = Commune
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def selected_year(self):
        return forms.PlanningYearForm(self.request.GET or None).selected_year()

    def get_context(self, commune):
        year = self.selected_year()
        this_year = timezone.localdate().year
        return {
            "object": commune,
            "commune": commune,
            "plan": commune_plan(commune, year, self.request.user),
            "year": year,
            "years": list(range(this_year - 5, this_year + 2)),
            "printed_on": timezone.localdate(),
            "title": gettext("Local planning — %(commune)s, %(year)s") % {"commune": commune.name, "year": year},
            "can_add_need": policy_for(Need).can(self.request.user.scope, ADD, commune),
        }

    def get_breadcrumbs(self):
        return [PLANNING_CRUMB, (f"{self.object.name} {self.selected_year()}", "")]


class PlanningView(PlanningMixin, ScopedDetailView):
    template_name = "projects/planning.html"


class PlanningPdf(PlanningMixin, ScopedDetailView):
    """The same planning, printable (PDF made with WeasyPrint from the print template)."""

    template_name = "projects/planning_print.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        filename = f"planning-{self.object.code}-{self.selected_year()}.pdf"
        return render_pdf(request, self.template_name, self.get_context(self.object), filename, inline=True)
