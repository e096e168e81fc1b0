"""Taking attendance, one session day at a time."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from moulin.access.policy import CHANGE
from moulin.core.views import ScopedObjectMixin, record_crumbs
from moulin.training import services
from moulin.training.enums import HOLDS_PLACE, AttendanceStatus
from moulin.training.models import Attendance, Session, percent


class AttendanceView(ScopedObjectMixin, View):
    """One screen per session day: everyone holding a place, present by default; tap the absent and the
    excused, save the day in one transaction. Works with htmx (the sheet is swapped in place) and without."""

    model = Session
    template_name = "training/attendance.html"

    def check_object(self, obj):
        if not self.policy().can(self.scope, CHANGE, obj):
            raise PermissionDenied(_("Only the session's trainer and organisers take attendance."))

    def base_queryset(self):
        return super().base_queryset().select_related("course")

    def get_breadcrumbs(self):
        return [*record_crumbs(self.object), (_("Attendance"), "")]

    def requested_day(self, raw):
        if not raw:
            return services.default_day(self.object), None
        day = parse_date(raw) if isinstance(raw, str) else None
        if day is None:
            return services.default_day(self.object), _("This is not a date: showing the session's latest day.")
        if not self.object.is_day(day):
            return None, _("%(day)s is not a day of this session (%(start)s – %(end)s).") % {
                "day": services._fmt(day),
                "start": services._fmt(self.object.start_date),
                "end": services._fmt(self.object.end_date),
            }
        return day, None

    def sheet_context(self, day, statuses=None, error="", saved=False):
        session = self.object
        rows = services.attendance_sheet(session, day) if day else []
        if statuses is not None:  # show what the user chose when the save was refused
            rows = [(e, statuses.get(e.pk, AttendanceStatus.PRESENT), rec) for e, _s, rec in rows]
        days = session.days()
        index = days.index(day) if day in days else None
        recorded = Attendance.objects.filter(enrolment__session=session, date=day).values("status")
        summary = {row["status"]: row["n"] for row in recorded.annotate(n=Count("pk")).order_by()}
        total = session.enrolments.filter(status__in=HOLDS_PLACE)
        present_all = Attendance.objects.filter(enrolment__session=session)
        agg = present_all.aggregate(all=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
        return {
            "session": session,
            "object": session,
            "course": session.course,
            "day": day,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "is_recorded": any(rec for _e, _s, rec in rows),
            "summary": [(value, label, summary.get(value, 0)) for value, label in AttendanceStatus.choices],
            "n_people": total.count(),
            "session_rate": percent(agg["present"], agg["all"]),
            "previous_day": days[index - 1] if index else None,
            "next_day": days[index + 1] if index is not None and index + 1 < len(days) else None,
            "day_choices": days,
            "future": day is not None and day > timezone.localdate(),
            "error": error,
            "saved": saved,
            "title": _("Attendance"),
        }

    def render_sheet(self, context, status=200):
        template = self.template_name
        if self.request.htmx:
            # htmx swaps only successful responses: a refusal comes back as a 200 whose sheet shows the message
            template, status = f"{template}#sheet", 200
        return self.render(template, context, status=status)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        day, error = self.requested_day(request.GET.get("day"))
        if error:
            messages.error(request, error)
        if day is None:
            day = services.default_day(self.object)
        return self.render(self.template_name, self.sheet_context(day))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        raw = request.POST.get("day", "")
        day = parse_date(raw) if raw else None
        statuses = {}
        for key, value in request.POST.items():
            if key.startswith("status-") and key[7:].isdigit() and value != AttendanceStatus.PRESENT:
                statuses[int(key[7:])] = value
        if day is None:
            messages.error(request, _("Choose the day the attendance is for: nothing was saved."))
            return self.render_sheet(self.sheet_context(services.default_day(self.object), statuses), status=422)
        try:
            counts = services.record_day(session=self.object, day=day, statuses=statuses, actor=request.user)
        except services.TrainingRefused as refused:
            shown = day if self.object.is_day(day) else services.default_day(self.object)
            context = self.sheet_context(shown, statuses, error=" ".join(refused.messages))
            return self.render_sheet(context, status=422)
        message = _("Attendance of %(day)s saved: %(present)s present, %(absent)s absent, %(excused)s excused.") % {
            "day": services._fmt(day),
            **counts,
        }
        if request.htmx:
            return self.render_sheet(self.sheet_context(day, saved=message))
        messages.success(request, message)
        return HttpResponseRedirect(reverse("training:attendance", args=[self.object.pk]) + f"?day={day}")
