"""The web café pages for signed-in users: venues with their opening hours, closures and visits, public courses
and their registrations, and the figures (visits by age band per month, course fill rates)."""

import datetime

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.core.forms import ActionForm
from moulin.core.tables import Column
from moulin.core.views import (
    ScopedActionView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
    ScopedMixin,
    figures_for_rows,
)
from moulin.training.enums import EnrolmentStatus
from moulin.webcafe import forms, services
from moulin.webcafe.enums import BAND_FIELDS
from moulin.webcafe.models import Closure, OpeningSlot, PublicCourse, Registration, Venue, VisitDay

# --- venues ---------------------------------------------------------------------------------------------------


class VenueList(ScopedListView):
    model = Venue
    title = gettext_lazy("Web cafés")
    intro = gettext_lazy("Free internet access for everyone, and computer courses for the public.")
    filter_form_class = forms.VenueFilterForm
    search_fields = ["name", "organisation__name", "premises__locality"]
    default_sort = "name"
    export_name = "web-cafes"
    create_url_name = "webcafe:venue_create"
    select_related = ["organisation", "premises__commune", "leader"]
    columns = [
        Column("name", gettext_lazy("Web café"), sort="name", link=True),
        Column("commune", gettext_lazy("Commune"), "premises.commune.name", sort="premises__commune__name"),
        Column("address", gettext_lazy("Address"), lambda v: f"{v.premises.address}, {v.premises.locality}"),
        Column("organisation", gettext_lazy("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("computers", gettext_lazy("Computers"), sort="computers", align="text-end"),
        Column("step_free", gettext_lazy("Step-free access"), align="text-center"),
        Column("is_active", gettext_lazy("Open"), align="text-center"),
    ]  # fmt: skip


class VenueDetail(ScopedDetailView):
    model = Venue
    template_name = "webcafe/venue_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("organisation", "premises__commune", "leader")

    def get_context(self, venue):
        user, today = self.request.user, timezone.localdate()
        first, last = services.week_of(today)
        slots = list(OpeningSlot.objects.visible_to(user).filter(venue=venue))
        closures = list(Closure.objects.visible_to(user).filter(venue=venue).filter(last_day__gte=today))
        week = services.opening_days(venue, first, last, slots=slots, closures=closures)
        visits = VisitDay.objects.visible_to(user).filter(venue=venue)
        courses = (
            PublicCourse.objects.visible_to(user).filter(venue=venue).upcoming(today).with_counts()
            .select_related("session__course").order_by("session__start_date", "pk")
        )  # fmt: skip
        scope = self.scope
        return {
            "object": venue,
            "venue": venue,
            "week": week,
            "slots": slots,
            "closures": closures,
            "recent_visits": list(visits.order_by("-day")[:14]),
            "year_visits": visits.filter(day__year=today.year).totals(),
            "courses": list(courses),
            "can_add_slot": policy_for(OpeningSlot).can(scope, ADD, venue),
            "can_add_closure": policy_for(Closure).can(scope, ADD, venue),
            "can_add_visits": policy_for(VisitDay).can(scope, ADD, venue),
            "can_add_course": policy_for(PublicCourse).can(scope, ADD, venue),
            "bands": services.band_labels(),
        }


class VenueCreate(ScopedFormView):
    model = Venue
    form_class = forms.VenueForm
    creating = True


class VenueUpdate(ScopedFormView):
    model = Venue
    form_class = forms.VenueForm


class VenueDelete(ScopedDeleteView):
    """Delete a web café entered by mistake: its opening hours and closures go with it; one with visits recorded
    or public courses planned is refused with what holds it."""

    model = Venue


# --- opening hours and closures --------------------------------------------------------------------------------


class VenueChildCreate(ScopedFormView):
    parent_model = Venue
    parent_lookup = "pk"
    parent_url_kwarg = "venue"
    creating = True

    def get_success_url(self):
        return self.object.get_absolute_url()


class OpeningSlotCreate(VenueChildCreate):
    model = OpeningSlot
    form_class = forms.OpeningSlotForm
    title = gettext_lazy("Add opening hours")


class OpeningSlotUpdate(ScopedFormView):
    model = OpeningSlot
    form_class = forms.OpeningSlotForm


class OpeningSlotDelete(ScopedDeleteView):
    model = OpeningSlot


class ClosureCreate(VenueChildCreate):
    model = Closure
    form_class = forms.ClosureForm
    title = gettext_lazy("Close the web café")


class ClosureDelete(ScopedDeleteView):
    model = Closure


# --- visits ---------------------------------------------------------------------------------------------------


class VisitDayList(ScopedListView):
    model = VisitDay
    title = gettext_lazy("Visits")
    intro = gettext_lazy("Visits of the web cafés by day and age band: head counts, nobody is named.")
    filter_form_class = forms.VisitFilterForm
    search_fields = ["venue__name"]
    default_sort = "-day"
    paginate_by = 50
    export_name = "web-cafe-visits"
    select_related = ["venue"]
    columns = [
        Column("day", gettext_lazy("Day"), sort="day", link=True),
        Column("venue", gettext_lazy("Web café"), "venue.name", sort="venue__name"),
        Column("under_25", gettext_lazy("Under 25"), sort="under_25", align="text-end"),
        Column("age_25_49", gettext_lazy("25–49"), sort="age_25_49", align="text-end"),
        Column("age_50_64", gettext_lazy("50–64"), sort="age_50_64", align="text-end"),
        Column("age_65_plus", gettext_lazy("65 and over"), sort="age_65_plus", align="text-end"),
        Column("total", gettext_lazy("Total"), align="text-end"),
    ]  # fmt: skip


class VisitDayCreate(VenueChildCreate):
    """Record a day's visits: a day already recorded is corrected, never counted twice."""

    model = VisitDay
    form_class = forms.VisitDayForm
    title = gettext_lazy("Record the visits of a day")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.setdefault("initial", {"day": timezone.localdate()})
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        return services.record_visits(venue=self.parent, day=data["day"], actor=self.request.user,
                                      counts={band: data.get(band) or 0 for band in BAND_FIELDS})  # fmt: skip

    def get_success_message(self):
        return _("Visits of %(day)s recorded: %(total)s.") % {"day": self.object.day, "total": self.object.total}


class VisitDayUpdate(ScopedFormView):
    model = VisitDay
    form_class = forms.VisitDayForm

    def save(self, form):
        data = form.cleaned_data
        if data["day"] != self.object.day:  # moving the count to another day: that day's row, this one goes
            moved = services.record_visits(venue=self.object.venue, day=data["day"], actor=self.request.user,
                                           counts={band: data.get(band) or 0 for band in BAND_FIELDS})  # fmt: skip
            VisitDay.objects.filter(pk=self.object.pk).delete()
            return moved
        return services.record_visits(venue=self.object.venue, day=data["day"], actor=self.request.user,
                                      counts={band: data.get(band) or 0 for band in BAND_FIELDS})  # fmt: skip


# --- public courses -------------------------------------------------------------------------------------------


class PublicCourseList(ScopedListView):
    model = PublicCourse
    title = gettext_lazy("Public courses")
    intro = gettext_lazy("Computer courses for the public at the web cafés, with the places taken and the waiting "
                         "list.")  # fmt: skip
    filter_form_class = forms.CourseFilterForm
    search_fields = ["session__course__title", "venue__name"]
    default_sort = "-start"
    export_name = "public-courses"
    select_related = ["venue", "session__course"]

    columns = [
        Column("title", gettext_lazy("Course"), "session.course.title", sort="session__course__title", link=True),
        Column("venue", gettext_lazy("Web café"), "venue.name", sort="venue__name"),
        Column("topic", gettext_lazy("Topic"), "get_topic_display", sort="topic"),
        Column("language", gettext_lazy("Language"), "get_language_display", sort="language"),
        Column("start", gettext_lazy("First day"), "session.start_date", sort="session__start_date"),
        Column("hours", gettext_lazy("Hours"), lambda c: f"{c.starts_at:%H:%M}–{c.ends_at:%H:%M}"),
        Column("capacity", gettext_lazy("Places"), "session.capacity", sort="session__capacity", align="text-end"),
        Column("n_registered", gettext_lazy("Taken"), sort="n_registered", align="text-end"),
        Column("n_waiting", gettext_lazy("Waiting"), sort="n_waiting", align="text-end"),
    ]  # fmt: skip

    COUNT_SORTS = frozenset({"n_registered", "n_waiting"})

    def get_queryset(self):
        # counted in the statement only to sort on a count: otherwise the counts over every course's enrolments
        # were grouped before the page was cut (prepare_rows reads them for the page's rows)
        qs = super().get_queryset()
        return qs.with_counts() if self.sorted_on(self.COUNT_SORTS) else qs

    def prepare_rows(self, objects) -> None:
        figures_for_rows(objects, ("n_registered", "n_waiting"), lambda pks: (
            PublicCourse.objects.filter(pk__in=pks).with_counts().values_list("pk", "n_registered", "n_waiting")
        ))  # fmt: skip


class PublicCourseDetail(ScopedDetailView):
    model = PublicCourse
    template_name = "webcafe/course_detail.html"

    def base_queryset(self):
        return super().base_queryset().with_counts().select_related("venue__premises__commune", "session__course")

    def get_context(self, course):
        user = self.request.user
        reads_people = policy_for(Registration).can_list(self.scope)
        registrations = []
        if reads_people:
            rows = Registration.objects.visible_to(user).filter(course=course)
            rows = rows.select_related("enrolment", "course__session__course")
            registrations = list(rows.order_by("enrolment__status", "created_at", "pk"))
            self.note_read(*registrations)
        days = course.session.days()
        return {
            "object": course,
            "course": course,
            "session": course.session,
            "days": days,
            "registrations": registrations,
            "reads_people": reads_people,
            "can_register": course.is_open_for_registration()
            and policy_for(Registration).can(self.scope, ADD, course),
            "can_cancel": policy_for(PublicCourse).can_change(self.scope, course),
            "waiting_status": EnrolmentStatus.WAITING,
            "cancelled_status": EnrolmentStatus.CANCELLED,
        }


class PublicCourseCreate(VenueChildCreate):
    model = PublicCourse
    form_class = forms.PublicCourseForm
    title = gettext_lazy("Plan a public course")

    def save(self, form):
        data = form.cleaned_data
        return services.plan_course(venue=self.parent, actor=self.request.user, **data)


class PublicCourseUpdate(ScopedFormView):
    model = PublicCourse
    form_class = forms.PublicCourseForm

    def base_queryset(self):
        return super().base_queryset().select_related("session__course", "venue")

    def save(self, form):
        data = dict(form.cleaned_data)
        data.pop("course", None)
        return services.update_course(public=self.object, actor=self.request.user, **data)


# --- registrations --------------------------------------------------------------------------------------------


class RegistrationList(ScopedListView):
    model = Registration
    title = gettext_lazy("Course registrations")
    intro = gettext_lazy("Members of the public registered for the web cafés' courses.")
    search_fields = ["enrolment__public_name", "course__session__course__title"]
    default_sort = "-registered"
    paginate_by = 50
    export_name = "web-cafe-registrations"
    select_related = ["enrolment", "course__session__course", "course__venue"]
    columns = [
        Column("name", gettext_lazy("Name"), "enrolment.public_name", sort="enrolment__public_name", link=True),
        Column("phone", gettext_lazy("Phone"), "enrolment.public_phone"),
        Column("course", gettext_lazy("Course"), "course.session.course.title", sort="course__session__course__title"),
        Column("venue", gettext_lazy("Web café"), "course.venue.name", sort="course__venue__name"),
        Column("start", gettext_lazy("First day"), "course.session.start_date", sort="course__session__start_date"),
        Column("status", gettext_lazy("Status"), "enrolment.get_status_display", sort="enrolment__status"),
        Column("channel", gettext_lazy("Registered"), "get_channel_display", sort="channel"),
        Column("registered", gettext_lazy("On"), "created_at", sort="created_at"),
    ]  # fmt: skip


class RegistrationCreate(ScopedFormView):
    model = Registration
    form_class = forms.RegistrationForm
    parent_model = PublicCourse
    parent_lookup = "pk"
    parent_url_kwarg = "course"
    creating = True
    title = gettext_lazy("Register a member of the public")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        return services.register(course=self.parent, name=data["name"], phone=data.get("phone", ""),
                                 email=data.get("email", ""), consent=data["consent"], channel=data["channel"],
                                 actor=self.request.user)  # fmt: skip

    def send_success_message(self):
        enrolment = self.object.enrolment
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.warning(
                self.request,
                _(
                    "The course is full (%(capacity)s places): %(name)s is on the waiting list and gets the first "
                    "place that frees."
                )
                % {"capacity": self.parent.session.capacity, "name": enrolment.public_name},
            )
        else:
            messages.success(self.request, _("%(name)s is registered.") % {"name": enrolment.public_name})

    def get_success_url(self):
        return self.parent.get_absolute_url()


class RegistrationCancel(ScopedActionView):
    model = Registration
    form_class = ActionForm
    template_name = "training/enrolment_action.html"
    refusal_as_message = True
    title = gettext_lazy("Cancel the registration")

    def base_queryset(self):
        return super().base_queryset().select_related("enrolment", "course__session__course")

    def get_cancel_url(self):
        return self.object.course.get_absolute_url()

    def get_success_url(self):
        return self.get_cancel_url()

    def render_form(self, form, status=200):
        question = _("Cancel the registration of %(name)s? A place they held goes to the first person waiting.") % {
            "name": self.object.enrolment.public_name}  # fmt: skip
        context = {"form": form, "object": self.object, "title": self.get_title(), "question": question,
                   "button": _("Cancel the registration"), "cancel_url": self.get_cancel_url()}  # fmt: skip
        return self.render(self.template_name, context, status=status)

    def perform(self, form):
        promoted = services.cancel_registration(registration=self.object, actor=self.request.user)
        text = _("The registration of %(name)s is cancelled.") % {"name": self.object.enrolment.public_name}
        if promoted is not None:
            text += " " + _("%(name)s moves up from the waiting list.") % {"name": promoted.enrolment.public_name}
        return text


# --- figures --------------------------------------------------------------------------------------------------


class WebcafeFigures(ScopedMixin, View):
    """Visits by age band per month and course fill rates, over what the role counts (``counted_for``): the
    ministry and network staff the whole network, everyone else the web cafés they read."""

    model = VisitDay

    def get(self, request):
        form = forms.FiguresForm(request.GET or None)
        today = timezone.localdate()
        year = today.year
        if form.is_valid() and form.cleaned_data.get("year"):
            year = form.cleaned_data["year"]
        visits = VisitDay.objects.counted_for(request.user)
        courses = PublicCourse.objects.counted_for(request.user)
        months = services.visits_by_month(visits, year)
        totals = {band: sum(m.bands[band] for m in months) for band in BAND_FIELDS}
        context = {
            "form": form,
            "year": year,
            "years": [today.year - 1, today.year],
            "months": [(datetime.date(year, m.month, 1), m) for m in months],
            "totals": totals,
            "total": sum(totals.values()),
            "bands": services.band_labels(),
            "fill": services.course_fill(courses, year),
            "breadcrumbs": [(_("Web cafés"), ""), (_("Figures"), "")],
        }
        return self.render("webcafe/figures.html", context)
