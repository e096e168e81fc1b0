"""Skills, and a worker's training and skills record."""

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.core.tables import Column
from moulin.core.views import ScopedDeleteView, ScopedDetailView, ScopedFormView, ScopedListView
from moulin.participants.models import Participant
from moulin.training import forms, services
from moulin.training.enums import SkillSource
from moulin.training.models import ParticipantSkill, Skill
from moulin.training.views.base import COURSES_CRUMB, with_certificate


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
