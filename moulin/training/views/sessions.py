"""Sessions of a course: list, page, forms, closing a finished session."""

from django.contrib import messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from moulin.access.policy import ADD, CHANGE
from moulin.access.querysets import policy_for
from moulin.core.forms import ActionForm
from moulin.core.tables import Column
from moulin.core.views import ScopedActionView, ScopedDeleteView, ScopedDetailView, ScopedFormView, ScopedListView
from moulin.training import forms, services
from moulin.training.enums import HOLDS_PLACE, AttendanceStatus, EnrolmentStatus
from moulin.training.models import Attendance, Course, Enrolment, Session, percent
from moulin.training.views.base import COURSES_CRUMB, certificate_of


class SessionList(ScopedListView):
    model = Session
    title = gettext_lazy("Training sessions")
    intro = gettext_lazy("Every run of a course: dates, place, places taken and people waiting.")
    filter_form_class = forms.SessionFilterForm
    search_fields = ["course__title", "course__code", "location"]
    default_sort = "-start_date"
    export_name = "training-sessions"
    select_related = ["course__organisation", "place"]
    columns = [
        Column("course", gettext_lazy("Course"), "course.title", sort="course__title", link=True),
        Column("kind", gettext_lazy("Kind"), "course.kind", sort="course__kind"),
        Column("organisation", gettext_lazy("Organised by"), "course.organisation.display_name",
               sort="course__organisation__name"),
        Column("start_date", gettext_lazy("From"), sort="start_date"),
        Column("end_date", gettext_lazy("To"), sort="end_date"),
        Column("place", gettext_lazy("Place"), "place_label"),
        Column("capacity", gettext_lazy("Places"), sort="capacity", align="text-end"),
        Column("n_enrolled", gettext_lazy("Enrolled"), sort="n_enrolled", align="text-end"),
        Column("n_waiting", gettext_lazy("Waiting"), sort="n_waiting", align="text-end"),
    ]  # fmt: skip

    def get_queryset(self):
        return super().get_queryset().with_counts()

    def get_breadcrumbs(self):
        return [COURSES_CRUMB, (_("Sessions"), "")]


class SessionCreate(ScopedFormView):
    model = Session
    form_class = forms.SessionForm
    parent_model = Course
    parent_lookup = "pk"
    parent_url_kwarg = "pk"
    creating = True


class SessionUpdate(ScopedFormView):
    model = Session
    form_class = forms.SessionForm

    def get_crumb_label(self):
        return self.get_title()

    def save(self, form):
        session = super().save(form)
        promoted = services.promote_waiting(session=session, actor=self.request.user)
        if promoted:
            names = ", ".join(e.person_name for e in promoted)
            messages.info(self.request, _("Places freed for people waiting: %(names)s.") % {"names": names})
        return session


class SessionDelete(ScopedDeleteView):
    model = Session


class SessionDetail(ScopedDetailView):
    model = Session
    template_name = "training/session_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("course__organisation", "place", "trainer", "course__provider")

    def get_context(self, session):
        user = self.request.user
        scope = self.scope
        present = Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT))
        enrolments = list(
            Enrolment.objects.visible_to(user)
            .filter(session=session)
            .select_related("participant", "certificate")
            .annotate(n_present=present, n_recorded=Count("attendance"))
            .order_by("created_at", "pk")
        )
        days = session.days()
        by_day: dict = {}
        for day, status, n in (
            Attendance.objects.filter(enrolment__session=session)
            .values_list("date", "status")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            by_day.setdefault(day, dict.fromkeys(AttendanceStatus.values, 0))[status] = n
        today = timezone.localdate()
        counts = session.enrolments.aggregate(
            enrolled=Count("pk", filter=Q(status__in=HOLDS_PLACE)),
            waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
            completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        )
        recorded = sum(sum(v.values()) for v in by_day.values())
        present_total = sum(v.get(AttendanceStatus.PRESENT, 0) for v in by_day.values())
        can_change = policy_for(Session).can(scope, CHANGE, session)
        for e in enrolments:
            e.rate = percent(e.n_present, e.n_recorded)
            e.cert = certificate_of(e)
            e.can_complete = can_change and e.status == EnrolmentStatus.ENROLLED and session.end_date <= today
        return {
            "object": session,
            "session": session,
            "course": session.course,
            "holding": [e for e in enrolments if e.status in HOLDS_PLACE],
            "waiting": [e for e in enrolments if e.status == EnrolmentStatus.WAITING],
            "cancelled": [e for e in enrolments if e.status == EnrolmentStatus.CANCELLED],
            "days": [(d, by_day.get(d, {}), d <= today) for d in days],
            "counts": counts,
            "fill_rate": percent(counts["enrolled"], session.capacity),
            "attendance_rate": percent(present_total, recorded),
            "show_people": policy_for(Enrolment).can_list(scope),
            "can_take_attendance": can_change,
            "can_enrol": policy_for(Enrolment).can(scope, ADD, session) and session.end_date >= today,
            "is_over": session.end_date < today,
            "can_complete_session": can_change
            and session.end_date <= today
            and any(e.can_complete for e in enrolments),
            "today": today,
        }


class SessionComplete(ScopedActionView):
    """Close a finished session in one step: complete everyone who attended enough."""

    model = Session
    form_class = ActionForm
    template_name = "training/enrolment_action.html"
    title = gettext_lazy("Complete the session")
    refusal_as_message = True

    def render_form(self, form, status=200):
        ready, short = services.completion_preview(self.object)
        context = {
            "form": form,
            "object": self.object,
            "title": self.get_title(),
            "cancel_url": self.object.get_absolute_url(),
            "ready": ready,
            "short": short,
            "course": self.object.course,
            "button": ngettext("Complete %(count)s person", "Complete %(count)s people", len(ready))
            % {"count": len(ready)}
            if ready
            else "",
        }
        return self.render(self.template_name, context, status=status)

    def perform(self, form):
        done, self.short = services.complete_session(session=self.object, actor=self.request.user)
        text = ngettext("%(count)s person completed the course.", "%(count)s people completed the course.", len(done))
        return text % {"count": len(done)}

    def send_success_message(self):
        super().send_success_message()
        if self.short:
            names = ", ".join(e.person_name for e, _rate in self.short)
            messages.warning(self.request, _("Not enough attendance to complete: %(names)s.") % {"names": names})
