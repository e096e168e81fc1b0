"""What the planning capability adds to other pages: the commune page's needs and projects, menu rules."""

from django.db.models import Prefetch
from django.utils import timezone

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.core.pagination import SECTION_LENGTH, shortlist
from moulin.projects.enums import ProjectStatus, Term
from moulin.projects.models import Need, Project, Team


def reads_needs(scope) -> bool:
    return scope.authenticated


def persons(scope) -> bool:
    return policy_for(Team).can_list(scope)


def commune_planning_section(commune, user) -> dict:
    visible_projects = Project.objects.visible_to(user)
    needs = (
        Need.objects.visible_to(user)
        .filter(commune=commune)
        .prefetch_related(Prefetch("projects", queryset=visible_projects.only("pk", "name")))
        .order_by("-raised_on", "pk")
    )
    served = Project.communes.through.objects.filter(commune=commune).values("project")
    projects = visible_projects.filter(pk__in=served).select_related("organisation").order_by("name")
    (needs, needs_total), (projects, projects_total) = shortlist(needs), shortlist(projects)
    return {
        "template": "projects/commune_section.html",
        "commune": commune,
        "needs": needs,
        "needs_total": needs_total,
        "more_needs": needs_total > SECTION_LENGTH,
        "projects": projects,
        "projects_total": projects_total,
        "more_projects": projects_total > SECTION_LENGTH,
        "can_add_need": policy_for(Need).can(user.scope, ADD, commune),
    }


def home_planning_panel(request):
    """Home page: open needs and running projects within the user's scope (counts only)."""
    user = request.user
    if not user.is_authenticated:
        return None
    year = timezone.localdate().year
    projects = Project.objects.counted_for(user)
    return {
        "template": "projects/home_panel.html",
        "open_needs": Need.objects.counted_for(user).open().count(),
        "needs_raised": Need.objects.counted_for(user).raised_in(year).count(),
        "projects_running": projects.running_in(year).count(),
        "long_term": projects.filter(term=Term.LONG).exclude(status=ProjectStatus.CLOSED).count(),
        "year": year,
        "lists_open": policy_for(Need).can_list(user.scope),
    }
