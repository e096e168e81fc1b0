"""Home-page panel (declared in the capability, ``home_panels``): the sessions meeting today whose attendance the user
takes (as their trainer, or as a manager or coach of the organising organisation)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from moulin.training.models import Session
from moulin.training.policies import WRITERS

LIMIT = 8


def attendance_today(request):
    scope = request.user.scope
    org_ids = scope.org_ids(*WRITERS)
    today = timezone.localdate()
    mine = Q(trainer=request.user) | Q(course__organisation__in=org_ids)
    qs = (
        Session.objects.visible_to(request.user)
        .filter(mine, start_date__lte=today, end_date__gte=today)
        .select_related("course", "place")
        .order_by("course__title", "pk")
    )
    rows = [s for s in qs[:50] if s.is_day(today)][:LIMIT]
    if not rows:
        return None
    return {
        "template": "training/home_panel.html",
        "sessions": rows,
        "url": reverse("training:session_list") + "?period=upcoming",
    }
