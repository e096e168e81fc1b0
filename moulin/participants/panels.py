"""Home-page panels (declared in the capability, ``home_panels``): the coach's and manager's pathway tasks."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from moulin.access.roles import Role
from moulin.participants.models import EmploymentContract, FollowUp, PlanAction
from moulin.participants.validators import add_months

LIMIT = 8


def _pathway_user(scope, *roles) -> bool:
    return scope.network_coach or bool(scope.org_ids(*roles))


def _panel(key, title, icon, qs, row, url=""):
    rows = list(qs[: LIMIT + 1])
    if not rows:
        return None
    total = qs.count() if len(rows) > LIMIT else len(rows)
    return {
        "template": "participants/home_panel.html",
        "key": key,
        "title": title,
        "icon": icon,
        "rows": [row(obj) for obj in rows[:LIMIT]],
        "more": total - min(total, LIMIT),
        "url": url,
    }


def contracts_ending(request):
    """Contracts ending within two months (coach and manager)."""
    scope = request.user.scope
    if not _pathway_user(scope, Role.COACH, Role.ORG_MANAGER):
        return None
    today = timezone.localdate()
    qs = (
        EmploymentContract.objects.visible_to(request.user)
        .ending_between(today, add_months(today, 2))
        .select_related("participant", "measure")
        .order_by("last_day", "pk")
    )
    return _panel(
        "contracts-ending", _("Contracts ending within two months"), "hourglass-split", qs,
        lambda c: {"url": c.get_absolute_url(), "name": c.participant.display_name,
                   "text": _("%(measure)s ends on %(day)s") % {"measure": c.measure.code,
                                                              "day": date_format(c.last_day, "SHORT_DATE_FORMAT")}},
        reverse("participants:contract_list") + "?ending=2m",
    )  # fmt: skip


def overdue_actions(request):
    scope = request.user.scope
    if not _pathway_user(scope, Role.COACH):
        return None
    qs = PlanAction.objects.visible_to(request.user).overdue().select_related("participant").order_by("due_date", "pk")
    return _panel(
        "overdue-actions", _("Overdue plan actions"), "exclamation-circle", qs,
        lambda a: {"url": a.participant.get_absolute_url() + "#plan", "name": a.participant.display_name,
                   "text": _("%(action)s, due %(day)s") % {"action": a.description,
                                                          "day": date_format(a.due_date, "SHORT_DATE_FORMAT")}},
    )  # fmt: skip


def follow_ups_due(request):
    scope = request.user.scope
    if not _pathway_user(scope, Role.COACH):
        return None
    qs = FollowUp.objects.visible_to(request.user).due().select_related("participant").order_by("due_on", "pk")
    return _panel(
        "follow-ups-due", _("Six-month follow-ups due"), "calendar-check", qs,
        lambda f: {"url": reverse("participants:follow_up_record", args=[f.pk]), "name": f.participant.display_name,
                   "text": _("due since %(day)s") % {"day": date_format(f.due_on, "SHORT_DATE_FORMAT")}},
        reverse("participants:follow_up_list"),
    )  # fmt: skip
