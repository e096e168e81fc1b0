# Invoices, payments and credit notes are read through the application (scoped and audited), never the admin.
