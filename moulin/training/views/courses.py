"""The training catalogue: courses with their figures."""

from django.utils.translation import gettext as _, gettext_lazy

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.core.tables import Column
from moulin.core.views import ScopedDeleteView, ScopedDetailView, ScopedFormView, ScopedListView
from moulin.training import forms, services
from moulin.training.models import Course, Enrolment, Session, add_figures


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
        qs = super().get_queryset()
        return qs.with_figures() if self.sorted_on({"n_sessions"}) else qs

    def prepare_rows(self, courses) -> None:
        add_figures(courses)

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
