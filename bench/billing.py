"""Benchmark: a month's invoice batches for the whole network, with and without Peppol UBL validation.

    uv run python bench/billing.py [--repeat 3] [--keep]

Builds a fresh demo network in a temporary directory (as bench/run.py does; the demo leaves the last complete
month unbilled), then, for that month, prepares and issues the batch of every active organisation — beneficiaries'
invoices and contract invoices, each public body's invoice built as UBL and validated against the UBL 2.1 schema
and both rule sets (EN 16931, Peppol) — inside a transaction rolled back at the end, so each run bills the same
month. Prints invoices per second for preparation (preview) and issue, with and without UBL validation, and the
one-time compilation of the rule sets. Figures and how they were taken: docs/performance.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from run import load, machine, say, setup_django, timed  # noqa: E402


class Rollback(Exception):
    pass


def bill_month(validate: bool) -> dict:
    """Prepare and issue every organisation's batch of the month, timed, then roll everything back."""
    from django.db import transaction
    from django.utils import timezone

    from moulin.billing import services
    from moulin.billing.models import BillingRefused, Invoice
    from moulin.organisations.models import Organisation

    month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    figures = {"prepare": 0.0, "issue": 0.0, "invoices": 0, "ubl": 0, "batches": 0, "refused": 0}
    try:
        with transaction.atomic():
            for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
                start = time.perf_counter()
                try:
                    batch = services.prepare_batch(actor=None, organisation=organisation, month=month)
                except BillingRefused:
                    figures["refused"] += 1
                    continue
                middle = time.perf_counter()
                services.issue_batch(batch, actor=None, validate_ubl=validate)
                end = time.perf_counter()
                figures["prepare"] += middle - start
                figures["issue"] += end - middle
                figures["batches"] += 1
                invoices = Invoice.objects.filter(batch=batch)
                figures["invoices"] += invoices.count()
                figures["ubl"] += sum(1 for i in invoices if i.sends_ubl)
            raise Rollback
    except Rollback:
        pass
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="moulin-bench-billing-", delete=not args.keep)
    var = Path(tmp.name)
    setup_django(var)
    from django.core.management import call_command

    say(f"Machine: {machine()}; load average before: {load()}")
    timed("migrate", lambda: call_command("migrate", interactive=False, verbosity=0))
    timed("load_demo", lambda: call_command("load_demo", quiet=True))

    from moulin.billing import documents, validation

    compile_time = timed("compile the UBL schema and both rule sets (once per process)", validation.warm_up)
    rows = []
    for validate in (False, True):
        runs = []
        for _n in range(args.repeat):
            documents._verdicts.clear()  # every run validates again, nothing remembered from the one before
            runs.append(bill_month(validate))
        best = min(runs, key=lambda r: r["prepare"] + r["issue"])
        total = statistics.median(r["prepare"] + r["issue"] for r in runs)
        rows.append((validate, best, total, runs))
    say()
    say("| UBL validation | batches | invoices | of which UBL | prepare (s) | issue (s) | total (s) | invoices/s |")
    say("|---|--:|--:|--:|--:|--:|--:|--:|")
    for validate, best, total, runs in rows:
        rate = best["invoices"] / total if total else 0
        prepare = statistics.median(r["prepare"] for r in runs)
        issue = statistics.median(r["issue"] for r in runs)
        say(f"| {'yes' if validate else 'no'} | {best['batches']} | {best['invoices']} | {best['ubl']} | "
            f"{prepare:.2f} | {issue:.2f} | {total:.2f} | {rate:.0f} |")  # fmt: skip
    say()
    say(f"Rule sets compiled in {compile_time:.2f} s; median of {args.repeat} runs; load average after: {load()}")
    if os.environ.get("MOULIN_BENCH_KEEP") or args.keep:
        say(f"Kept: {var}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
