"""The waiting list's "waiting since" stored on the participant and kept by the database.

``participant.waiting_since`` is the date of the person's latest intake interview: a trigger on the intakes
recomputes it for the participant(s) an intake is added to, changed on or removed from (an intake moved to
another participant, as a merge does, recomputes both), in the same transaction as the change, on SQLite and on
PostgreSQL alike. The SQL is written out here, frozen with the migration; ``tests/participants/test_waiting_since.py``
checks the stored date against the intakes after every kind of write.
"""

from django.db import migrations, models

RECOMPUTE = (
    "UPDATE participants_participant SET waiting_since = (SELECT MAX(i.date) FROM participants_intake i "
    "WHERE i.participant_id = participants_participant.id) WHERE participants_participant.id = {row}.participant_id"
)
SQLITE = [
    f"CREATE TRIGGER participants_waiting_added AFTER INSERT ON participants_intake BEGIN "
    f"{RECOMPUTE.format(row='NEW')}; END",
    f"CREATE TRIGGER participants_waiting_changed AFTER UPDATE OF date, participant_id ON participants_intake BEGIN "
    f"{RECOMPUTE.format(row='NEW')}; {RECOMPUTE.format(row='OLD')}; END",
    f"CREATE TRIGGER participants_waiting_removed AFTER DELETE ON participants_intake BEGIN "
    f"{RECOMPUTE.format(row='OLD')}; END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in ("participants_waiting_added", "participants_waiting_changed", "participants_waiting_removed")
]
POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION participants_waiting_since() RETURNS trigger AS $$ BEGIN "
    f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {RECOMPUTE.format(row='NEW')}; END IF; "
    "IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.participant_id <> NEW.participant_id) THEN "
    f"{RECOMPUTE.format(row='OLD')}; END IF; "
    "RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER participants_waiting_since AFTER INSERT OR DELETE OR UPDATE OF date, participant_id "
    "ON participants_intake FOR EACH ROW EXECUTE FUNCTION participants_waiting_since()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS participants_waiting_since ON participants_intake",
    "DROP FUNCTION IF EXISTS participants_waiting_since()",
]
FILL = (
    "UPDATE participants_participant SET waiting_since = (SELECT MAX(i.date) FROM participants_intake i "
    "WHERE i.participant_id = participants_participant.id)"
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [*(POSTGRESQL if vendor == "postgresql" else SQLITE), FILL]:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRESQL_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0006_contract_ending_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="waiting_since",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="waiting since"),
        ),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(fields=["status", "waiting_since", "id"], name="participant_waiting_since_idx"),
        ),
        migrations.RunPython(create, drop),
    ]
