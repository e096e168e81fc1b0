"""A team's work orders as an iCalendar feed (RFC 5545), made with the ``icalendar`` library: the weeks around
today, each work order an all-day event at its site."""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from moulin.fieldwork.models import WorkOrder, WorkOrderStatus

#: the feed holds the work orders from this many days back to this many days ahead
DAYS_BACK, DAYS_AHEAD = 14, 92


def team_calendar(team) -> bytes:
    today = timezone.localdate()
    cal = Calendar()
    cal.add("prodid", "-//Moulin//Field work//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{team.name}")
    orders = (
        WorkOrder.objects.filter(team=team)
        .filter(date__range=(today - datetime.timedelta(days=DAYS_BACK), today + datetime.timedelta(days=DAYS_AHEAD)))
        .select_related("site__commune")
        .order_by("date", "pk")
    )
    stamp = timezone.now()
    for order in orders:
        event = Event()
        event.add("uid", f"work-order-{order.pk}@moulin")
        event.add("dtstamp", stamp)
        if order.start_time is not None:  # a timed event, in Luxembourg's time
            start = datetime.datetime.combine(order.date, order.start_time, tzinfo=timezone.get_current_timezone())
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(minutes=int(order.planned_hours * 60)))
        else:
            event.add("dtstart", order.date)
            event.add("dtend", order.date + datetime.timedelta(days=1))
        event.add("summary", f"{order.title} — {order.site.name}")
        event.add("location", f"{order.site.name}, {order.site.commune.name}")
        lines = [f"{order.planned_hours} h"] + [f"- {item.get('item', '')}" for item in order.checklist or []]
        event.add("description", "\n".join(lines))
        event.add("status", "CANCELLED" if order.status == WorkOrderStatus.CANCELLED else "CONFIRMED")
        geometry = order.site.geometry or {}
        if geometry.get("type") == "Point":
            lon, lat = geometry["coordinates"]
            event.add("geo", (float(lat), float(lon)))
        cal.add_component(event)
    return cal.to_ical()
