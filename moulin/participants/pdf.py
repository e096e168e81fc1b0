"""The access export PDF for people: sections and fields under their labels (rendered by moulin.core.pdf)."""


def export_sections() -> dict:
    """The access export's sections: ``{key: (title, model)}`` (``PersonRecords.export_sections``)."""
    from django.utils.translation import gettext as _

    from moulin.participants import models as m

    sections = {
        "person": (_("Person"), m.Participant),
        "referrals": (_("Referrals"), m.Referral),
        "intakes": (_("Intake interviews"), m.Intake),
        "contracts": (_("Employment contracts"), m.EmploymentContract),
        "entry_data": (_("ESF+ entry data"), m.EntryData),
        "obstacles": (_("Obstacles"), m.PlanObstacle),
        "goals": (_("Goals"), m.PlanGoal),
        "actions": (_("Actions"), m.PlanAction),
        "reviews": (_("Reviews"), m.PlanReview),
        "coaching_sessions": (_("Coaching sessions"), m.CoachingSession),
        "exits": (_("Exits"), m.Exit),
        "follow_ups": (_("Six-month follow-ups"), m.FollowUp),
        "training": (_("Training"), None),
        "skills": (_("Skills"), None),
    }
    return sections


def labelled_export(data: dict) -> list[tuple]:
    """The access export for people: each section and field under its label in the reader's language."""
    from moulin.core.persons import labelled

    return labelled(data, export_sections())
