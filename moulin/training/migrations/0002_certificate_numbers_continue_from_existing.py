"""Certificate numbers now come from the gapless counters of moulin.sequences: start each year's counter at the
highest CERT-YYYY-NNNNN already issued, so the next certificate follows the existing ones."""

import re

from django.db import migrations

NUMBER = re.compile(r"^CERT-(\d{4})-(\d+)$")


def seed_counters(apps, schema_editor):
    Certificate = apps.get_model("training", "Certificate")
    Counter = apps.get_model("sequences", "Counter")
    last: dict[int, int] = {}
    for number in Certificate.objects.values_list("number", flat=True).iterator():
        match = NUMBER.match(number)
        if match:
            year, n = int(match[1]), int(match[2])
            last[year] = max(last.get(year, 0), n)
    for year, n in last.items():
        counter, _created = Counter.objects.get_or_create(
            series="certificate", organisation=None, year=year, defaults={"last": n}
        )
        if counter.last < n:
            counter.last = n
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_courses_sessions_enrolments_skills"),
        ("sequences", "0001_counters"),
    ]

    operations = [migrations.RunPython(seed_counters, migrations.RunPython.noop)]
