"""The scheduled job of billing (``moulin/ops/schedules.py``): reminders of overdue invoices."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from moulin.billing import services


def send_overdue_reminders(on=None) -> str:
    """Every overdue invoice with a balance gets a reminder (at most three, two weeks apart): by email in the
    recipient's language where there is an address, otherwise recorded to be posted with the next mail."""
    on = on or timezone.localdate()
    emailed = posted = 0
    for invoice, level in services.reminders_due(on):
        with transaction.atomic():
            reminder = services.record_reminder(invoice, level=level, on=on)
            if invoice.buyer_email:
                with translation.override(invoice.buyer_language or settings.LANGUAGE_CODE):
                    text = render_to_string("billing/email/reminder.txt",
                                            {"invoice": invoice, "reminder": reminder,
                                             "organisation": invoice.organisation}).strip()  # fmt: skip
                subject, _blank, body = text.partition("\n")
                EmailMessage(
                    subject.strip(),
                    body.strip() + "\n",
                    to=[invoice.buyer_email],
                    reply_to=[invoice.organisation.email] if invoice.organisation.email else None,
                ).send()
                emailed += 1
            else:
                posted += 1
    return f"{emailed + posted} reminders: {emailed} by email, {posted} to post"
