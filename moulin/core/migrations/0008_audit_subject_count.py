"""Each audit event's number of people concerned, written with them (``services.audit``) and here counted once
for the events recorded before: the audit log read it with a count of every event's subjects at each request."""

from django.db import migrations, models


def count(apps, schema_editor):
    schema_editor.execute(
        "UPDATE core_auditevent SET subject_count = "
        "(SELECT COUNT(*) FROM core_auditsubject WHERE core_auditsubject.event_id = core_auditevent.id)"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0007_trigram_indexes_without_pending_list")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="subject_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="people concerned"),
        ),
        migrations.RunPython(count, migrations.RunPython.noop, elidable=False),
    ]
