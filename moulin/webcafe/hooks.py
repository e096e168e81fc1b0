"""The web cafés on other pages (declared in ``moulin/webcafe/capability.py``): the leader's home panel (today's
opening and courses of the web cafés they run), the commune page's section, and the public service directory's
link to the commune's web cafés."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone


def today_panel(request):
    """Today at the web cafés the user leads: open or closed (and why), the hours, today's courses with their
    places taken, and where to record the day's visits."""
    from moulin.access.roles import Role
    from moulin.webcafe import services
    from moulin.webcafe.models import Closure, OpeningSlot, PublicCourse, Venue, VisitDay

    user = request.user
    if not user.scope.has(Role.TEAM_LEADER):
        return None  # web cafés are led by team leaders: no query for anyone else
    today = timezone.localdate()
    venues = list(
        Venue.objects.visible_to(user).active().filter(leader=user).select_related("premises__commune")
        .prefetch_related(Prefetch("slots", queryset=OpeningSlot.objects.on_day(today)),
                          Prefetch("closures", queryset=Closure.objects.covering(today)))
        .order_by("name")
    )  # fmt: skip
    if not venues:
        return None
    courses = (
        PublicCourse.objects.visible_to(user).filter(venue__in=venues, session__start_date__lte=today,
                                                     session__end_date__gte=today)
        .with_counts().select_related("session__course").order_by("starts_at", "pk")
    )  # fmt: skip
    by_venue = {}
    for course in courses:
        if course.session.is_day(today):
            by_venue.setdefault(course.venue_id, []).append(course)
    recorded = dict(VisitDay.objects.filter(venue__in=venues, day=today).values_list("venue", "pk"))
    rows = []
    for venue in venues:
        day = services.opening_days(venue, today, today, slots=venue.slots.all(), closures=venue.closures.all())[0]
        rows.append({"venue": venue, "day": day, "courses": by_venue.get(venue.pk, []),
                     "visits_recorded": venue.pk in recorded,
                     "visits_url": reverse("webcafe:visit_day_create", args=[venue.pk])})  # fmt: skip
    return {"template": "webcafe/home_panel.html", "rows": rows, "today": today}


def commune_section(commune, user):
    """The commune page's web cafés: each with this year's visits (a count) and its coming courses (places taken,
    never who took them), and the link to the public page."""
    from moulin.webcafe.models import PublicCourse, Venue, VisitDay

    today = timezone.localdate()
    venues = list(Venue.objects.visible_to(user).in_commune(commune).order_by("name"))
    public = bool(venues) or Venue.objects.active().in_commune(commune).exists()
    visits = VisitDay.objects.visible_to(user).filter(venue__in=venues, day__year=today.year).totals()
    courses = (
        PublicCourse.objects.visible_to(user).filter(venue__in=venues).upcoming(today).with_counts()
        .select_related("session__course", "venue").order_by("session__start_date", "pk")[:8]
    )  # fmt: skip
    return {"template": "webcafe/commune_section.html", "commune": commune, "venues": venues, "visits": visits,
            "courses": list(courses) if venues else [], "year": today.year, "public": public}  # fmt: skip


def public_directory_section(commune):
    """The public service directory's link to the commune's web cafés, when it has any."""
    from moulin.webcafe.models import Venue

    count = Venue.objects.active().in_commune(commune).count()
    if not count:
        return None
    return {"template": "webcafe/public/directory_section.html", "commune": commune, "count": count,
            "url": reverse("webcafe:public_commune", args=[commune.code])}  # fmt: skip
