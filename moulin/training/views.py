from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _, gettext_lazy, ngettext
from django.views import View

from moulin.access.policy import ADD, CHANGE
from moulin.access.querysets import policy_for
from moulin.core.models import AuditEvent
from moulin.core.pdf import render_pdf
from moulin.core.services import audit
from moulin.core.tables import Column
from moulin.core.views import (
    ScopedActionView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
    ScopedObjectMixin,
    record_crumbs,
)
from moulin.participants.models import Participant
from moulin.training import forms, services
from moulin.training.enums import HOLDS_PLACE, AttendanceStatus, EnrolmentStatus, SkillSource
from moulin.training.models import (
    Attendance,
    Certificate,
    Course,
    Enrolment,
    ParticipantSkill,
    Session,
    Skill,
    percent,
)

COURSES_CRUMB = (gettext_lazy("Training"), reverse_lazy("training:course_list"))


# ---------------------------------------------------------------- courses


class CourseList(ScopedListView):
    model = Course
    title = gettext_lazy("Training courses")
    intro = gettext_lazy(
        "The training catalogue: technical, social, language, digital and safety courses of the network."
    )
    filter_form_class = forms.CourseFilterForm
    search_fields = ["title", "code"]
    default_sort = "title"
    export_name = "courses"
    create_url_name = "training:course_create"
    select_related = ["organisation", "provider"]
    columns = [
        Column("title", gettext_lazy("Course"), sort="title", link=True),
        Column("kind", gettext_lazy("Kind"), sort="kind"),
        Column("organisation", gettext_lazy("Organised by"), "organisation.display_name", sort="organisation__name"),
        Column("hours", gettext_lazy("Hours"), sort="hours", align="text-end", kind="number"),
        Column("provider", gettext_lazy("Provider"), lambda c: c.provider or c.get_provider_kind_display()),
        Column("gives_certificate", gettext_lazy("Certificate"), align="text-center"),
        Column("n_sessions", gettext_lazy("Sessions"), sort="n_sessions", align="text-end"),
        Column("fill", gettext_lazy("Fill rate (%)"), "fill_rate", align="text-end", kind="number"),
        Column("completion", gettext_lazy("Completion (%)"), "completion_rate", align="text-end", kind="number"),
    ]  # fmt: skip

    def get_queryset(self):
        return super().get_queryset().with_figures()

    def get_breadcrumbs(self):
        return [(_("Training"), "")]


class CourseDetail(ScopedDetailView):
    model = Course
    template_name = "training/course_detail.html"

    def get_context(self, course):
        user = self.request.user
        scope = self.scope
        sessions = (
            Session.objects.visible_to(user)
            .filter(course=course)
            .with_counts()
            .select_related("place", "trainer")
            .order_by("-start_date")
        )
        return {
            "object": course,
            "course": course,
            "figures": services.course_figures(course),
            "sessions": sessions,
            "skills": course.skills.all(),
            "show_people": policy_for(Enrolment).can_list(scope),
            "can_add_session": policy_for(Session).can(scope, ADD, course),
        }


class CourseCreate(ScopedFormView):
    model = Course
    form_class = forms.CourseForm
    creating = True
    crumb_label = gettext_lazy("New course")


class CourseUpdate(ScopedFormView):
    model = Course
    form_class = forms.CourseForm


class CourseDelete(ScopedDeleteView):
    model = Course


# ---------------------------------------------------------------- sessions


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


# ---------------------------------------------------------------- attendance


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


# ---------------------------------------------------------------- enrolments


class EnrolmentCreate(ScopedFormView):
    model = Enrolment
    form_class = forms.EnrolmentForm
    parent_model = Session
    parent_lookup = "pk"
    parent_url_kwarg = "pk"
    creating = True
    title = gettext_lazy("Enrol a worker")

    def service_kwargs(self, form):
        return {"participant": form.cleaned_data["participant"], "note": form.cleaned_data.get("note", "")}

    def save(self, form):
        return services.enrol(session=self.parent, actor=self.request.user, **self.service_kwargs(form))

    def send_success_message(self):
        enrolment = self.object
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.warning(
                self.request,
                _("The session is full (%(capacity)s places): %(name)s is on the waiting list and will get the "
                  "first place that frees.") % {"capacity": self.parent.capacity, "name": enrolment.person_name},
            )  # fmt: skip
        else:
            messages.success(self.request, _("%(name)s is enrolled.") % {"name": enrolment.person_name})

    def get_success_url(self):
        return self.parent.get_absolute_url()


class PublicEnrolmentCreate(EnrolmentCreate):
    form_class = forms.PublicEnrolmentForm
    title = gettext_lazy("Enrol a member of the public")

    def service_kwargs(self, form):
        data = form.cleaned_data
        return {
            "public_name": data["public_name"],
            "public_email": data.get("public_email", ""),
            "public_phone": data.get("public_phone", ""),
            "note": data.get("note", ""),
        }


class EnrolmentList(ScopedListView):
    model = Enrolment
    title = gettext_lazy("Enrolments")
    intro = gettext_lazy("The people in training sessions you follow: workers and members of the public.")
    filter_form_class = forms.EnrolmentFilterForm
    search_fields = ["participant__last_name", "participant__first_name", "public_name", "session__course__title"]
    default_sort = "-start"
    export_name = "enrolments"
    select_related = ["participant", "session__course", "certificate"]
    columns = [
        Column("person", gettext_lazy("Person"), "person_name", sort="participant__last_name"),
        Column("course", gettext_lazy("Course"), "session.course.title", sort="session__course__title", link=True),
        Column("start", gettext_lazy("From"), "session.start_date", sort="session__start_date"),
        Column("end", gettext_lazy("To"), "session.end_date", sort="session__end_date"),
        Column("status", gettext_lazy("Status"), sort="status"),
        Column("completed_on", gettext_lazy("Completed on"), sort="completed_on"),
        Column("certificate", gettext_lazy("Certificate"), lambda e: certificate_number(e)),
    ]

    def get_breadcrumbs(self):
        return [COURSES_CRUMB, (_("Enrolments"), "")]


def certificate_of(enrolment):
    try:
        return enrolment.certificate
    except Certificate.DoesNotExist:
        return None


def with_certificate(enrolment):
    enrolment.cert = certificate_of(enrolment)
    return enrolment


def certificate_number(enrolment):
    certificate = certificate_of(enrolment)
    return certificate.number if certificate else None


class EnrolmentAction(ScopedActionView):
    """Confirm, then run a service on one enrolment; a refusal comes back as a message, nothing saved."""

    model = Enrolment
    form_class = forms.ConfirmForm
    template_name = "training/enrolment_action.html"
    refusal_as_message = True
    question = ""
    button = ""

    def base_queryset(self):
        return super().base_queryset().select_related("session__course", "participant")

    def get_cancel_url(self):
        return self.object.session.get_absolute_url()

    def get_success_url(self):
        return self.get_cancel_url()

    def render_form(self, form, status=200):
        context = {"form": form, "object": self.object, "title": self.get_title(), **self.action_context()}
        context["cancel_url"] = self.get_cancel_url()
        return self.render(self.template_name, context, status=status)

    def action_context(self):
        return {"question": self.question % {"name": self.object.person_name}, "button": self.button}


class EnrolmentComplete(EnrolmentAction):
    title = gettext_lazy("Complete the course")
    question = gettext_lazy("Record that %(name)s completed the course?")
    button = gettext_lazy("Complete")

    def action_context(self):
        context = super().action_context()
        context["rate"] = services.attendance_rate(self.object)
        context["course"] = self.object.session.course
        return context

    def perform(self, form):
        enrolment = services.enrolment_complete(enrolment=self.object, actor=self.request.user)
        text = _("%(name)s completed the course.") % {"name": enrolment.person_name}
        if enrolment.session.course.gives_certificate:
            text += " " + _("The certificate is ready to download.")
        return text


class EnrolmentCancel(EnrolmentAction):
    title = gettext_lazy("Cancel the enrolment")
    question = gettext_lazy("Cancel the enrolment of %(name)s? A place they held goes to the first person waiting.")
    button = gettext_lazy("Cancel the enrolment")

    def perform(self, form):
        promoted = services.cancel_enrolment(enrolment=self.object, actor=self.request.user)
        text = _("The enrolment of %(name)s is cancelled.") % {"name": self.object.person_name}
        if promoted is not None:
            text += " " + _("%(name)s moves up from the waiting list.") % {"name": promoted.person_name}
        return text


class SessionComplete(ScopedActionView):
    """Close a finished session in one step: complete everyone who attended enough."""

    model = Session
    form_class = forms.ConfirmForm
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


class CertificatePDF(ScopedDetailView):
    """The certificate as a PDF, in the reader's language, for those who may see the enrolment."""

    model = Certificate

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .select_related(
                "enrolment__participant", "enrolment__session__course__organisation", "enrolment__session__place"
            )
        )

    def get(self, request, *args, **kwargs):
        certificate = self.get_object()
        enrolment = certificate.enrolment
        session = enrolment.session
        course = session.course
        present = enrolment.attendance.filter(status=AttendanceStatus.PRESENT).count()
        context = {
            "certificate": certificate,
            "enrolment": enrolment,
            "session": session,
            "course": course,
            "organisation": course.organisation,
            "skills": course.skills.all(),
            "hours_attended": session.hours_per_day * present,
        }
        response = render_pdf(request, "training/certificate.html", context, f"{certificate.number}.pdf", inline=True)
        audit(actor=request.user, action=AuditEvent.Action.VIEW, obj=certificate, detail={"file": "certificate"})
        return response


# ---------------------------------------------------------------- skills


class SkillList(ScopedListView):
    model = Skill
    title = gettext_lazy("Skills")
    intro = gettext_lazy("The skills courses give and coaches record in workers' skills records.")
    search_fields = ["name", "description"]
    default_sort = "name"
    export_name = "skills"
    create_url_name = "training:skill_create"
    columns = [
        Column("name", gettext_lazy("Skill"), sort="name"),
        Column("kind", gettext_lazy("Kind"), sort="kind"),
        Column("n_courses", gettext_lazy("Courses giving it"), sort="n_courses", align="text-end"),
    ]

    def get_queryset(self):
        return super().get_queryset().annotate(n_courses=Count("courses"))

    def get_breadcrumbs(self):
        return [COURSES_CRUMB, (_("Skills"), "")]


class SkillCreate(ScopedFormView):
    model = Skill
    form_class = forms.SkillForm
    creating = True

    def get_success_url(self):
        return reverse("training:skill_list")

    def get_cancel_url(self):
        return reverse("training:skill_list")

    def get_breadcrumbs(self):
        return [COURSES_CRUMB, (_("Skills"), reverse("training:skill_list")), (_("New skill"), "")]


class WorkerTraining(ScopedDetailView):
    """A worker's training: hours this year, skills record, enrolments and certificates."""

    model = Participant
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"
    template_name = "training/worker.html"

    def get_breadcrumbs(self):
        return [(str(self.object), worker_url(self.object)), (_("Training and skills"), "")]

    def get_context(self, participant):
        user = self.request.user
        scope = self.scope
        today = timezone.localdate()
        skills = ParticipantSkill.objects.visible_to(user).filter(participant=participant)
        return {
            "object": participant,
            "participant": participant,
            "year": today.year,
            "hours_this_year": services.training_hours_this_year(participant, today=today),
            "skills": skills.select_related("skill", "enrolment__session__course"),
            "enrolments": [with_certificate(e) for e in services.training_timeline(participant, user)],
            "can_add_skill": policy_for(ParticipantSkill).can(scope, ADD, participant),
            "coach_source": SkillSource.COACH,
        }


def worker_url(participant) -> str:
    """The worker's own page when the pathways app serves it, else their training page."""
    try:
        return participant.get_absolute_url()
    except NoReverseMatch:
        return reverse("training:worker", args=[participant.public_id])


class ParticipantSkillCreate(ScopedFormView):
    model = ParticipantSkill
    form_class = forms.ParticipantSkillForm
    parent_model = Participant
    parent_lookup = "public_id"
    parent_url_kwarg = "public_id"
    creating = True
    title = gettext_lazy("Add a skill to the skills record")

    def new_instance(self, parent):
        return ParticipantSkill(participant=parent, source=SkillSource.COACH, recorded_by=self.request.user)

    def get_success_url(self):
        return reverse("training:worker", args=[self.parent.public_id])

    def get_cancel_url(self):
        return self.get_success_url()

    def get_breadcrumbs(self):
        return [(str(self.parent), reverse("training:worker", args=[self.parent.public_id])), (self.get_title(), "")]


class ParticipantSkillDelete(ScopedDeleteView):
    model = ParticipantSkill

    def get_success_url(self, obj):
        return reverse("training:worker", args=[obj.participant.public_id])

    def get_breadcrumbs(self):
        return [(_("Skills record"), ""), (_("Delete"), "")]
