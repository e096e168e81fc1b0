"""Enrolling workers and members of the public; completing and cancelling an enrolment."""

from django.contrib import messages
from django.utils.translation import gettext as _, gettext_lazy

from moulin.core.forms import ActionForm
from moulin.core.tables import Column
from moulin.core.views import ScopedActionView, ScopedFormView, ScopedListView
from moulin.training import forms, services
from moulin.training.enums import EnrolmentStatus
from moulin.training.models import Enrolment, Session
from moulin.training.views.base import COURSES_CRUMB, certificate_number


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


class EnrolmentAction(ScopedActionView):
    """Confirm, then run a service on one enrolment; a refusal comes back as a message, nothing saved."""

    model = Enrolment
    form_class = ActionForm
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
        enrolment = services.complete_enrolment(enrolment=self.object, actor=self.request.user)
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
