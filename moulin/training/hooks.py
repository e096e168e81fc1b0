"""Training on the worker's pathway: entries for the participants' timeline, a section for the exit summary
and access export, and the clearing of training free text when a person is anonymised. Declared in
``moulin/training/capability.py``."""

from django.utils.translation import gettext as _

from moulin.formats import short_date
from moulin.training.enums import EnrolmentStatus, SkillSource


def timeline_entries(participant, user):
    from django.urls import reverse
    from django.utils import timezone

    from moulin.participants.timeline import Entry
    from moulin.training.models import Certificate, ParticipantSkill
    from moulin.training.services import training_hours_this_year, training_timeline

    entries = []
    for e in training_timeline(participant, user):
        session, course = e.session, e.session.course
        url = session.get_absolute_url()
        entries.append(
            Entry(session.start_date, "training", _("Training: %(course)s") % {"course": course.title},
                  f"{e.get_status_display()} · {course.hours} h", "mortarboard", url)
        )  # fmt: skip
        if e.status == EnrolmentStatus.COMPLETED and e.completed_on:
            try:
                number = e.certificate.number
            except Certificate.DoesNotExist:
                number = ""
            given = ", ".join(str(s) for s in course.skills.all())
            detail = " · ".join(part for part in (number, given) if part)
            entries.append(
                Entry(e.completed_on, "certificate" if number else "training",
                      _("Completed: %(course)s") % {"course": course.title}, detail, "award", url)
            )  # fmt: skip
    skills = ParticipantSkill.objects.visible_to(user).filter(participant=participant).select_related("skill")
    for s in skills:
        if s.source == SkillSource.COACH:  # skills from a course show with its completion
            entries.append(Entry(s.acquired_on, "skill", _("Skill: %(skill)s") % {"skill": s.skill},
                                 s.note or s.get_source_display(), "stars"))  # fmt: skip
    # the year that counts: this one while on the pathway, the year of leaving once the person has left
    on = timezone.localdate()
    if participant.status == "exited":
        left = participant.exits.order_by("-date").values_list("date", flat=True).first()
        on = left or on
    hours = training_hours_this_year(participant, today=on)
    entries.append(
        Entry(on, "training", _("Training and skills record"),
              _("%(hours)s h of training attended in %(year)s") % {"hours": hours, "year": on.year}, "mortarboard",
              reverse("training:worker", args=[participant.public_id]))
    )  # fmt: skip
    return entries


def summary_section(participant, user):
    from moulin.training.models import ParticipantSkill
    from moulin.training.services import training_timeline

    lines = []
    for e in training_timeline(participant, user):
        line = f"{e.session.course.title} ({short_date(e.session.start_date)} – {short_date(e.session.end_date)}): "
        lines.append(line + str(e.get_status_display()))
    skills = ParticipantSkill.objects.visible_to(user).filter(participant=participant).select_related("skill")
    names = [str(s.skill) for s in skills]
    if names:
        lines.append(_("Skills: %(skills)s") % {"skills": ", ".join(names)})
    return (_("Training and skills"), lines) if lines else None


def anonymise(participant) -> None:
    from moulin.training.models import Enrolment, ParticipantSkill

    Enrolment.objects.filter(participant=participant).update(note="")
    ParticipantSkill.objects.filter(participant=participant).update(note="")
