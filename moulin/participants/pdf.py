"""The access export PDF for people: sections and fields under their labels (rendered by moulin.core.pdf)."""


def labelled_export(data: dict) -> list[tuple]:
    """The access export for people: each section and field under its label in the reader's language (the JSON
    export keeps the field names). Returns ``[(section title, [[(label, value), ...] per record]), ...]``."""
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
    extra = {"reference": _("Reference"), "status": _("Status"), "organisation": _("Organisation"),
             "date": _("Date"), "title": _("Title"), "detail": _("Detail")}  # fmt: skip

    def label(model, name):
        if model is not None:
            try:
                return str(model._meta.get_field(name).verbose_name).capitalize()
            except Exception:  # noqa: BLE001 - a key that is no model field (reference, …)
                pass
        return str(extra.get(name, name.replace("_", " "))).capitalize()

    def records(model, rows):
        return [[(label(model, k), v) for k, v in row.items()] for row in rows]

    flat = {**data, **data.get("plan", {})}
    out = []
    for key, (title, model) in sections.items():
        if key not in flat:
            continue
        value = flat[key]
        out.append((title, records(model, [value] if isinstance(value, dict) else value)))
    for other in data.get("other", []):
        out.append((other["title"], [[("", line)] for line in other["lines"]]))
    return out
