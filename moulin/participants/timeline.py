"""The worker's pathway on one timeline.

Other apps add entries by declaring ``timeline_sources`` in their capability (``moulin/<app>/capability.py``)::

    def training_entries(participant, user):
        # read through visible_to(user): the policy decides what this user may see
        return [Entry(date=e.session.start, kind="training", title=..., detail=..., icon="mortarboard")
                for e in Enrolment.objects.visible_to(user).filter(participant=participant)]

    CAPABILITY = Capability(timeline_sources=(training_entries,), ...)

A source is ``fn(participant, user) -> iterable of Entry`` and is only called for users who may read the
full record (never for a team leader's minimal view). Entries with ``kind="training"`` (and
``kind="skill"``) also appear in the exit summary and the access export.

``summary_sections`` works the same way for the exit summary PDF and the access export: callables
``fn(participant, user) -> (title, [lines])`` or ``None``.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from moulin.core.capabilities import collected


@dataclass
class Entry:
    date: datetime.date | None
    kind: str
    title: str
    detail: str = ""
    icon: str = "dot"
    url: str = ""
    extra: dict = field(default_factory=dict)


def build_timeline(participant, user, *, records) -> list[Entry]:
    """The pathway, newest first. ``records`` holds the rows the page already read (one query per family)."""
    from moulin.participants.policies import can_read_notes

    notes = can_read_notes(user.scope, participant)
    entries: list[Entry] = []
    for r in records["referrals"]:
        entries.append(Entry(r.date, "referral", _("Referred by %(source)s") % {"source": r.get_source_display()},
                             r.referrer, "box-arrow-in-right"))  # fmt: skip
    for i in records["intakes"]:
        detail = i.redirect_reason if i.outcome == "redirect" else ""
        title = _("Intake interview: %(outcome)s") % {"outcome": i.get_outcome_display()}
        entries.append(Entry(i.date, "intake", title, f"{i.coach} {detail}".strip(), "chat-square-text"))
    for c in records["contracts"]:
        title = _("Contract %(measure)s, %(type)s") % {
            "measure": c.measure.code,
            "type": c.get_contract_type_display(),
        }
        entries.append(Entry(c.start, "contract", title, f"{c.project} · {c.team or '—'} · {c.weekly_hours} h",
                             "briefcase"))  # fmt: skip
        if c.ended_on:
            entries.append(Entry(c.ended_on, "contract", _("Contract ended early: %(reason)s")
                                 % {"reason": c.get_end_reason_display()}, "", "briefcase"))  # fmt: skip
    for o in records["obstacles"]:
        entries.append(Entry(o.identified_on, "plan", _("Obstacle: %(kind)s") % {"kind": o.get_kind_display()},
                             o.detail, "exclamation-triangle"))  # fmt: skip
    for g in records["goals"]:
        if g.achieved_on:
            entries.append(Entry(g.achieved_on, "plan", _("Goal reached: %(goal)s") % {"goal": g.title}, "", "flag"))
    for r in records["reviews"]:
        entries.append(Entry(r.date, "plan", _("Plan review"), r.summary, "clipboard-check"))
    for s in records["sessions"]:
        detail = s.notes if notes else ""
        entries.append(Entry(s.date, "session", _("Coaching: %(kind)s") % {"kind": s.get_kind_display()}, detail,
                             "person-video3", extra={"next_steps": s.next_steps, "coach": str(s.coach)}))  # fmt: skip
    for e in records["exits"]:
        entries.append(Entry(e.date, "exit", _("Exit: %(reason)s") % {"reason": e.get_reason_display()},
                             e.get_situation_display(), "box-arrow-right"))  # fmt: skip
    for f in records["follow_ups"]:
        if f.done_on:
            entries.append(Entry(f.done_on, "follow_up", _("Six-month follow-up"), f.get_situation_display(),
                                 "calendar-check"))  # fmt: skip
        else:
            entries.append(Entry(f.due_on, "follow_up", _("Six-month follow-up due"), "", "calendar-event"))
    for source in collected("timeline_sources"):
        entries.extend(source(participant, user) or [])
    entries.sort(key=lambda e: e.date or datetime.date.min, reverse=True)
    return entries


def summary_sections(participant, user) -> list[tuple]:
    sections = []
    for fn in collected("summary_sections"):
        result = fn(participant, user)
        if result:
            sections.append(result)
    return sections
