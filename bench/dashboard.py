"""The network dashboard against the bare SQL that computes the same figures, side by side in one run.

    python bench/dashboard.py                       # on the database of the settings (make demo-data first)
    python bench/dashboard.py --grow 10             # on a copy of it grown ten times (bench/generate.py)
    python bench/dashboard.py --grow 10 --years 10  # ... with ten years of field work history

Each round requests the network dashboard as network staff through Django's test client (view, policies, figures,
charts, template: the whole server time) and then runs, on the bare database driver, hand-written SQL computing
the same figures for the same two years (the period and the year before); rounds are interleaved so that both see
the same machine. It prints the median and the 95th percentile of each and their ratio (target: the dashboard
within 1.5 times the bare SQL), and checks that the figures the SQL finds are the dashboard's.

``--grow`` copies the SQLite database to a temporary file and grows it there with ``bench/generate.py`` (the 10x
generator); with PostgreSQL (``DATABASE_URL``) it grows the database named, which must be a throwaway one.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))


def setup(grow: int, years: int) -> str:
    """Configure Django (on a grown copy when asked) and say which data is measured."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    label = "the demo data"
    if grow > 1 and not os.environ.get("DATABASE_URL"):
        source = BASE_DIR / "var" / "moulin.sqlite3"
        target = Path(tempfile.mkdtemp(prefix="moulin-bench-")) / "moulin.sqlite3"
        shutil.copy(source, target)
        os.environ["DATABASE_URL"] = f"sqlite:///{target}"
    import django

    django.setup()
    if grow > 1:
        try:
            import generate
        except ImportError:
            say("bench/generate.py (the 10x generator) is not in this tree: measured on the demo data only")
            return label
        started = time.perf_counter()
        figures = generate.grow(factor=grow, years=years, verbose=True)
        label = f"the demo grown {grow}x" + (f" over {years} years" if years else "")
        say(f"grown in {time.perf_counter() - started:.0f} s ({figures['rows']:,} rows written)")
    return label


BARE = {
    # figure key -> SQL over the raw tables; %(start)s / %(end)s / %(on)s are the period's days
    "hires": """SELECT count(*) FROM participants_employmentcontract
                WHERE start BETWEEN %(start)s AND %(end)s AND renewal_of_id IS NULL""",
    "hires_by_domain": """SELECT p.domain_id, count(*) FROM participants_employmentcontract c
                          JOIN projects_project p ON p.id = c.project_id
                          WHERE c.start BETWEEN %(start)s AND %(end)s AND c.renewal_of_id IS NULL GROUP BY 1""",
    "hires_target": """SELECT sum(v.target) FROM projects_indicatorvalue v
                       JOIN projects_indicator i ON i.id = v.indicator_id
                       WHERE i.source = 'hires' AND v.year = %(year)s""",
    "active_workers": """SELECT p.gender, count(*) FROM participants_participant p WHERE p.id IN (
                           SELECT participant_id FROM participants_employmentcontract
                           WHERE start <= %(end)s AND (last_day IS NULL OR last_day >= %(start)s)) GROUP BY 1""",
    "exits": """SELECT situation, count(*) FROM participants_exit WHERE date BETWEEN %(start)s AND %(end)s
                GROUP BY 1""",
    "exits_to_employment": """SELECT count(*) FROM participants_exit WHERE date BETWEEN %(start)s AND %(end)s
                              AND situation IN ('employed_open_ended', 'employed_fixed_term', 'employed_agency',
                                                'self_employed')""",
    "six_months": """SELECT f.situation, count(*) FROM participants_followup f JOIN participants_exit e
                     ON e.id = f.exit_id WHERE e.date BETWEEN %(start)s AND %(end)s AND f.done_on IS NOT NULL
                     GROUP BY 1""",
    "hours_worked": """SELECT p.domain_id, sum(t.hours) FROM fieldwork_timeentry t
                       LEFT JOIN projects_team m ON m.id = t.team_id
                       LEFT JOIN projects_project p ON p.id = m.project_id
                       WHERE t.date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "beneficiaries_served": """SELECT b.kind, count(*) FROM care_beneficiary b WHERE b.id IN (
                                 SELECT r.beneficiary_id FROM care_request r JOIN care_intervention i
                                 ON i.request_id = r.id WHERE i.completed_on BETWEEN %(start)s AND %(end)s)
                               GROUP BY 1""",
    "interventions": """SELECT s.service_line, count(*) FROM care_intervention i JOIN care_request r
                        ON r.id = i.request_id JOIN care_servicetype s ON s.id = r.service_type_id
                        WHERE i.completed_on BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "requests_referred": """SELECT count(*) FROM care_request WHERE received_on BETWEEN %(start)s AND %(end)s
                            AND status = 'referred'""",
    "satisfaction": """SELECT avg(satisfaction), count(*) FROM care_survey
                       WHERE answered_on BETWEEN %(start)s AND %(end)s AND satisfaction IS NOT NULL""",
    "surveys_answered": """SELECT satisfaction, count(*) FROM care_survey
                           WHERE answered_on BETWEEN %(start)s AND %(end)s AND satisfaction IS NOT NULL GROUP BY 1""",
    "training_hours": """SELECT c.kind, sum(s.hours_per_day) FROM training_attendance a
                         JOIN training_enrolment e ON e.id = a.enrolment_id JOIN training_session s
                         ON s.id = e.session_id JOIN training_course c ON c.id = s.course_id
                         WHERE a.date BETWEEN %(start)s AND %(end)s AND a.status = 'present' GROUP BY 1""",
    "communes_covered": """SELECT count(DISTINCT commune_id) FROM organisations_agreement
                           WHERE start <= %(on)s AND ("end" IS NULL OR "end" >= %(on)s)""",
    "funding_mix": """SELECT s.kind, sum(r.amount) FROM contracts_receipt r JOIN contracts_fundingsource s
                      ON s.id = r.source_id WHERE r.cancelled_on IS NULL
                      AND r.received_on BETWEEN %(ystart)s AND %(yend)s GROUP BY 1""",
    "volunteer_hours": """SELECT sum(hours) FROM organisations_volunteerhours
                          WHERE date BETWEEN %(ystart)s AND %(yend)s""",
}


def bare_sql(year: int) -> dict:
    """Every figure of the network dashboard for ``year`` and the year before, on the bare driver."""
    import datetime

    from django.db import connection

    found = {}
    from django.utils import timezone

    today = timezone.localdate()
    for y in (year, year - 1):
        start, end = datetime.date(y, 1, 1), datetime.date(y, 12, 31)
        params = {"start": start, "end": end, "on": min(end, today), "year": y, "ystart": start, "yend": end}
        with connection.cursor() as cursor:
            for key, sql in BARE.items():
                cursor.execute(sql, params)
                found[(y, key)] = cursor.fetchall()
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--grow", type=int, default=1, help="grow a copy of the data N times (bench/generate.py)")
    parser.add_argument("--years", type=int, default=0, help="with --grow: years of field work history")
    args = parser.parse_args(argv)
    label = setup(args.grow, args.years)

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from moulin.accounts.models import User
    from moulin.participants.models import EmploymentContract, Participant

    year = timezone.localdate().year
    client = Client()
    client.force_login(User.objects.get(email="staff@moulin.demo"))
    response = client.get("/reporting/")  # warm-up (and the figures to compare)
    assert response.status_code == 200, response.status_code
    bare_sql(year)
    page, bare, queries = [], [], 0
    for _ in range(args.rounds):
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            client.get("/reporting/")
        page.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
        started = time.perf_counter()
        found = bare_sql(year)
        bare.append((time.perf_counter() - started) * 1000)

    hires = found[(year, "hires")][0][0]
    assert hires == EmploymentContract.objects.filter(start__year=year, renewal_of__isnull=True).count()
    active = sum(n for _g, n in found[(year, "active_workers")])
    say(f"checked: {hires} hires, {active} active workers, {Participant.objects.count()} participants in the data")

    def p95(values):
        return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

    pm, bm = statistics.median(page), statistics.median(bare)
    say(f"\nNetwork dashboard as network staff, {label}, {args.rounds} interleaved rounds, year {year}:\n")
    say("| | median (ms) | p95 (ms) | SQL statements |")
    say("|---|---:|---:|---:|")
    say(f"| dashboard page (Django) | {pm:.1f} | {p95(page):.1f} | {queries} |")
    say(f"| bare SQL, same figures | {bm:.1f} | {p95(bare):.1f} | {2 * len(BARE)} |")
    say(f"\nratio (median): {pm / bm:.2f}x (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
