"""The database itself refuses to change an issued invoice (its number, dates, recipient and amounts), its lines,
a credit note or a payment, and to delete any of them: nothing money-related is ever changed or deleted, only
credited. The status of an invoice still moves (paid, credited)."""

from django.db import migrations

FROZEN = [
    "number", "sequence_year", "sequence_number", "issued_on", "due_on", "period_start", "period_end",
    "organisation_id", "kind", "beneficiary_id", "contract_id", "commune_id", "buyer_name", "buyer_address", "buyer_postcode",
    "buyer_locality", "buyer_country", "buyer_vat_number", "buyer_peppol_scheme", "buyer_peppol_id",
    "buyer_reference", "vat_category", "vat_rate", "net_total", "vat_total", "total",
]  # fmt: skip

MESSAGE = "Moulin: an issued invoice, its lines, its credit notes and payments are never changed or deleted"


def sqlite_sql():
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
    raise_ = f"SELECT RAISE(ABORT, '{MESSAGE}');"
    return [
        f"CREATE TRIGGER billing_invoice_frozen BEFORE UPDATE ON billing_invoice "
        f"WHEN OLD.number <> '' AND ({changed}) BEGIN {raise_} END;",
        f"CREATE TRIGGER billing_invoice_kept BEFORE DELETE ON billing_invoice "
        f"WHEN OLD.number <> '' BEGIN {raise_} END;",
        f"CREATE TRIGGER billing_line_frozen BEFORE UPDATE ON billing_invoiceline "
        f"WHEN (SELECT number FROM billing_invoice WHERE id = OLD.invoice_id) <> '' BEGIN {raise_} END;",
        f"CREATE TRIGGER billing_line_added BEFORE INSERT ON billing_invoiceline "
        f"WHEN (SELECT number FROM billing_invoice WHERE id = NEW.invoice_id) <> '' BEGIN {raise_} END;",
        f"CREATE TRIGGER billing_line_kept BEFORE DELETE ON billing_invoiceline "
        f"WHEN (SELECT number FROM billing_invoice WHERE id = OLD.invoice_id) <> '' BEGIN {raise_} END;",
        *[f"CREATE TRIGGER billing_{t}_frozen BEFORE UPDATE ON billing_{t} BEGIN {raise_} END;"
          for t in ("creditnote", "payment")],
        *[f"CREATE TRIGGER billing_{t}_kept BEFORE DELETE ON billing_{t} BEGIN {raise_} END;"
          for t in ("creditnote", "payment")],
    ]  # fmt: skip


def postgres_sql():
    old = ", ".join(f"OLD.{c}" for c in FROZEN)
    new = ", ".join(f"NEW.{c}" for c in FROZEN)
    return [
        f"""CREATE FUNCTION billing_invoice_frozen() RETURNS trigger AS $$
        BEGIN
          IF OLD.number <> '' AND (TG_OP = 'DELETE' OR ROW({new}) IS DISTINCT FROM ROW({old})) THEN
            RAISE EXCEPTION '{MESSAGE}';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        "CREATE TRIGGER billing_invoice_frozen BEFORE UPDATE OR DELETE ON billing_invoice "
        "FOR EACH ROW EXECUTE FUNCTION billing_invoice_frozen();",
        f"""CREATE FUNCTION billing_line_frozen() RETURNS trigger AS $$
        BEGIN
          IF (SELECT number FROM billing_invoice
              WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END) <> '' THEN
            RAISE EXCEPTION '{MESSAGE}';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;""",
        "CREATE TRIGGER billing_line_frozen BEFORE INSERT OR UPDATE OR DELETE ON billing_invoiceline "
        "FOR EACH ROW EXECUTE FUNCTION billing_line_frozen();",
        f"""CREATE FUNCTION billing_kept() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql;""",
        *[f"CREATE TRIGGER billing_{t}_kept BEFORE UPDATE OR DELETE ON billing_{t} "
          "FOR EACH ROW EXECUTE FUNCTION billing_kept();" for t in ("creditnote", "payment")],
    ]  # fmt: skip


def forwards(apps, schema_editor):
    statements = postgres_sql() if schema_editor.connection.vendor == "postgresql" else sqlite_sql()
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, trigger in [("invoice", "invoice_frozen"), ("invoiceline", "line_frozen"),
                               ("creditnote", "creditnote_kept"), ("payment", "payment_kept")]:  # fmt: skip
            schema_editor.execute(f"DROP TRIGGER IF EXISTS billing_{trigger} ON billing_{table};")
        for function in ("billing_invoice_frozen", "billing_line_frozen", "billing_kept"):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}();")
    else:
        for name in ("invoice_frozen", "invoice_kept", "line_frozen", "line_added", "line_kept", "creditnote_frozen",
                     "creditnote_kept", "payment_frozen", "payment_kept"):  # fmt: skip
            schema_editor.execute(f"DROP TRIGGER IF EXISTS billing_{name};")


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
