"""Field work on other pages (declared in ``moulin/fieldwork/capability.py``): the team leader's home panel (today's
work orders of their teams), and a worker's hours on their pathway timeline and exit summary."""

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

LIMIT = 8


def today_panel(request):
    """Today's work orders of the teams the user leads, each a tap away from its time sheet."""
    from moulin.access.roles import Role
    from moulin.fieldwork.models import WorkOrder

    if not request.user.scope.has(Role.TEAM_LEADER):
        return None  # only team leaders lead teams: no query for anyone else
    today = timezone.localdate()
    orders = (
        WorkOrder.objects.visible_to(request.user)
        .on_day(today)
        .led_by(request.user)
        .select_related("site__commune", "team")
        .order_by("team__name", "site__name")[:LIMIT]
    )
    orders = list(orders)
    if not orders:
        return None
    return {"template": "fieldwork/home_panel.html", "orders": orders, "url": reverse("fieldwork:today")}


def _hours_by_year_and_kind(participant, user, years):
    """``{year: [(kind label, hours)]}`` of the worker's time entries the user may read, in one query."""
    from django.db.models.functions import ExtractYear

    from moulin.fieldwork.models import EntryKind, TimeEntry

    rows = (
        TimeEntry.objects.visible_to(user)
        .filter(participant=participant, date__year__in=years)
        .annotate(year=ExtractYear("date"))
        .values("year", "kind")
        .annotate(hours=Sum("hours"))
        .order_by("year", "kind")
    )
    labels = dict(EntryKind.choices)
    found = {}
    for r in rows:
        found.setdefault(r["year"], []).append((labels.get(r["kind"], r["kind"]), r["hours"]))
    return found


def timeline_entries(participant, user):
    from moulin.participants.timeline import Entry

    today = timezone.localdate()
    found = _hours_by_year_and_kind(participant, user, [today.year, today.year - 1])
    entries = []
    for year, by_kind in sorted(found.items(), reverse=True):
        total = sum(h for _label, h in by_kind)
        detail = " · ".join(f"{label} {hours} h" for label, hours in by_kind)
        day = today if year == today.year else today.replace(year=year, month=12, day=31)
        url = reverse("fieldwork:time_entry_list") + f"?participant={participant.pk}"
        entries.append(
            Entry(day, "hours", _("Hours worked in %(year)s: %(total)s h") % {"year": year, "total": total}, detail,
                  "clock", url)
        )  # fmt: skip
    return entries


def summary_section(participant, user):
    today = timezone.localdate()
    found = _hours_by_year_and_kind(participant, user, [today.year - 1, today.year])
    lines = [f"{year}: " + ", ".join(f"{label} {hours} h" for label, hours in by_kind)
             for year, by_kind in sorted(found.items())]  # fmt: skip
    return (_("Hours worked"), lines) if lines else None


def intervention_entries(intervention, user):
    """The care intervention's page: the time entries recorded on it (its hours), for those who read them."""
    from moulin.access.policy import ADD
    from moulin.access.querysets import policy_for
    from moulin.fieldwork.models import TimeEntry

    policy = policy_for(TimeEntry)
    if not policy.can_list(user.scope):
        return None
    entries = list(
        TimeEntry.objects.visible_to(user).filter(intervention=intervention).select_related("participant")
        .order_by("date", "participant__last_name")
    )  # fmt: skip
    can_add = intervention.completed_on is None and policy.can(user.scope, ADD, intervention.team)
    return {
        "template": "fieldwork/intervention_entries.html",
        "entries": entries,
        "total": sum((e.hours for e in entries), start=Decimal("0")),
        "add_url": reverse("fieldwork:time_entry_create") + f"?intervention={intervention.pk}" if can_add else "",
    }


def intervention_completed(intervention, *, actor, hours, on, worker=None, **_completion):
    from moulin.fieldwork.services import check_intervention_entries

    check_intervention_entries(intervention, actor=actor, hours=hours, on=on, worker=worker)


def project_sites(project, user):
    """An environmental team project's page: its sites (the first twelve, the rest through the sites list) and
    the way to add one, for those who may."""
    from moulin.access.querysets import policy_for
    from moulin.core.pagination import shortlist
    from moulin.fieldwork.models import Site
    from moulin.projects.enums import ServiceLine

    if project.service_line != ServiceLine.ENVIRONMENTAL_TEAM:
        return None
    policy = policy_for(Site)
    can_add = policy.can_add(user.scope, under=project)
    if not policy.can_list(user.scope) and not can_add:
        return None
    sites, count = shortlist(Site.objects.visible_to(user).filter(project=project).select_related("commune"))
    return {
        "template": "fieldwork/project_sites.html",
        "sites": sites,
        "more": count - len(sites),
        "list_url": reverse("fieldwork:site_list") + f"?project={project.pk}",
        "add_url": reverse("fieldwork:site_create", args=[project.pk]) if can_add else "",
    }
