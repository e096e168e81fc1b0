"""Every periodic job of the product, scheduled by the product itself (``manage.py run_schedules``).

A job runs once per period (a day, or an ISO week), at or after its local time (Europe/Luxembourg). A scheduler
that was down catches up the current period when it comes back, never the periods it missed (the jobs look at
"today", so yesterday's run would do today's work anyway). Each run goes through the task queue
(``moulin.ops.tasks.run_job``); a failed run is retried up to ``MAX_ATTEMPTS`` times, then reported to the
network administrators by email and on the scheduled jobs page.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_ATTEMPTS = 3
RETRY_AFTER = dt.timedelta(minutes=5)  # times the attempt number


@dataclass(frozen=True)
class Job:
    name: str
    title: object
    function: str  # dotted path of a callable (or a django.tasks Task) returning a short result
    every: str  # "day" or "week"
    at: dt.time
    weekday: int = 0  # for weekly jobs: 0 is Monday

    def period(self, now: dt.datetime) -> str | None:
        """The period due at ``now`` (local time), or None when this period's time has not come yet."""
        if self.every == "day":
            return now.date().isoformat() if now.time() >= self.at else None
        if self.every == "week":
            start = now.date() - dt.timedelta(days=now.weekday())
            due = dt.datetime.combine(start + dt.timedelta(days=self.weekday), self.at, tzinfo=now.tzinfo)
            if now < due:
                return None
            year, week, _day = now.date().isocalendar()
            return f"{year}-W{week:02d}"
        raise ValueError(f"Unknown period {self.every!r}")

    def describe(self) -> str:
        if self.every == "day":
            return str(_("every day at %(time)s") % {"time": self.at.strftime("%H:%M")})
        return str(
            _("every week, day %(day)d at %(time)s") % {"day": self.weekday + 1, "time": self.at.strftime("%H:%M")}
        )


JOBS: list[Job] = [
    Job(
        "anonymise-expired-participants",
        _("Anonymise participants whose retention period has passed (GDPR)"),
        "moulin.participants.tasks.anonymise_expired_participants",
        "day",
        dt.time(2, 30),
    ),
    Job(
        "follow-ups-due",
        _("Email each coach the six-month follow-ups due"),
        "moulin.ops.alerts.send_follow_up_reminders",
        "day",
        dt.time(7, 0),
    ),
    Job(
        "contract-renewal-alerts",
        _("Email each manager the contracts ending within 60 days"),
        "moulin.ops.alerts.send_contract_ending_alerts",
        "week",
        dt.time(7, 0),
        weekday=0,
    ),
    Job(
        "expire-contracts",
        _("Mark the contracts past their end as expired"),
        "moulin.ops.alerts.expire_contracts",
        "day",
        dt.time(1, 15),
    ),
    Job(
        "contract-renewals-due",
        _(
            "Email each organisation's money people the contracts with communes, the ministry and others ending "
            "within 90 days"
        ),
        "moulin.ops.alerts.send_contract_renewal_alerts",
        "week",
        dt.time(7, 15),
        weekday=0,
    ),
    Job(
        "overdue-invoice-reminders",
        _("Remind the recipients of overdue invoices (by email in their language, or to post)"),
        "moulin.billing.tasks.send_overdue_reminders",
        "day",
        dt.time(8, 0),
    ),
]


def register(job: Job) -> None:
    """Later capabilities add their periodic jobs here."""
    if job.name not in {j.name for j in JOBS}:
        JOBS.append(job)


def job_named(name: str) -> Job:
    return next(job for job in JOBS if job.name == name)
