"""The billing pages: monthly batches (prepare, preview, issue), invoices with their PDF and Peppol UBL,
payments, credit notes and the accountant's lists (CSV and XLSX per period)."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from moulin.access.policy import ADD, CHANGE
from moulin.access.querysets import policy_for
from moulin.billing import documents, forms, services
from moulin.billing.enums import BatchStatus
from moulin.billing.models import Batch, CreditNote, Invoice, Payment, Reminder
from moulin.core.forms import ActionForm
from moulin.core.models import AuditEvent
from moulin.core.pdf import render_pdf
from moulin.core.services import audit
from moulin.core.tables import Column
from moulin.core.views import ScopedActionView, ScopedDetailView, ScopedFormView, ScopedListView

# --- batches --------------------------------------------------------------------------------------------------


class BatchList(ScopedListView):
    model = Batch
    title = gettext_lazy("Invoice batches")
    intro = gettext_lazy("Each month's invoices of an organisation: prepared for a preview, then issued together.")
    filter_form_class = forms.BatchFilterForm
    search_fields = ["organisation__name"]
    default_sort = "-month"
    paginate_by = 50
    create_url_name = "billing:batch_create"
    select_related = ["organisation"]
    columns = [
        Column("month", gettext_lazy("Month"), lambda b: str(b), sort="month", link=True),
        Column("organisation", gettext_lazy("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("status", gettext_lazy("Status"), "get_status_display", sort="status"),
        Column("issued_on", gettext_lazy("Issued on"), sort="issued_on", kind="date"),
    ]  # fmt: skip


class BatchCreate(ScopedFormView):
    """Choose the organisation and the month: the draft invoices are prepared for a preview, no number taken."""

    model = Batch
    form_class = forms.BatchForm
    creating = True
    title = gettext_lazy("Prepare a month's invoices")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        if not policy_for(Batch).can(self.scope, ADD, data["organisation"]):
            raise services.BillingRefused({"organisation": _("Choose an organisation you bill for.")})
        return services.prepare_batch(actor=self.request.user, organisation=data["organisation"], month=data["month"])

    def get_success_message(self):
        return _("Preview ready: %(count)s draft invoices. Check them, then issue.") % {
            "count": self.object.invoices.count()}  # fmt: skip


class BatchDetail(ScopedDetailView):
    model = Batch
    template_name = "billing/batch_detail.html"

    def get_context(self, batch):
        invoices = list(
            Invoice.objects.visible_to(self.request.user).filter(batch=batch).with_balance()
            .select_related("beneficiary").order_by("buyer_name", "pk")
        )  # fmt: skip
        self.note_read(*invoices)
        can_change = policy_for(Batch).can(self.scope, CHANGE, batch)
        preview = batch.status == BatchStatus.PREVIEW
        return {
            "object": batch,
            "batch": batch,
            "invoices": invoices,
            "net_total": sum((i.net_total for i in invoices), services.ZERO),
            "total": sum((i.total for i in invoices), services.ZERO),
            "can_issue": preview and can_change,
        }


class BatchIssue(ScopedActionView):
    model = Batch
    form_class = ActionForm
    title = gettext_lazy("Issue the invoices")
    refusal_as_message = True
    template_name = "billing/confirm.html"

    def perform(self, form):
        batch = services.issue_batch(self.object, actor=self.request.user)
        return _("%(count)s invoices issued.") % {"count": batch.invoices.numbered().count()}


class BatchDiscard(ScopedActionView):
    model = Batch
    form_class = ActionForm
    title = gettext_lazy("Discard the preview")
    refusal_as_message = True
    template_name = "billing/confirm.html"

    def perform(self, form):
        services.discard_batch(self.object, actor=self.request.user)
        return _("Preview discarded: no number was taken.")

    def get_success_url(self):
        return reverse("billing:batch_list")


# --- invoices -------------------------------------------------------------------------------------------------


class InvoiceList(ScopedListView):
    model = Invoice
    title = gettext_lazy("Invoices")
    intro = gettext_lazy("Every invoice issued, with what has been paid and credited. Filter a period, then "
                         "export it for the accountant (CSV or XLSX).")  # fmt: skip
    filter_form_class = forms.InvoiceFilterForm
    search_fields = ["number", "buyer_name"]
    default_sort = "-issued_on"
    paginate_by = 50
    export_name = "invoices"
    select_related = ["organisation"]
    columns = [
        Column("number", gettext_lazy("Number"), lambda i: str(i), sort="number", link=True),
        Column("issued_on", gettext_lazy("Issued on"), sort="issued_on", kind="date"),
        Column("organisation", gettext_lazy("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("buyer_name", gettext_lazy("Billed to"), sort="buyer_name"),
        Column("period_start", gettext_lazy("Month"), sort="period_start", kind="date"),
        Column("vat_category", gettext_lazy("VAT"), sort="vat_category"),
        Column("net_total", gettext_lazy("Without VAT (EUR)"), sort="net_total", kind="money", align="text-end"),
        Column("total", gettext_lazy("Total (EUR)"), sort="total", kind="money", align="text-end"),
        Column("paid", gettext_lazy("Paid (EUR)"), "paid_sum", sort="paid_sum", kind="money", align="text-end"),
        Column("credited", gettext_lazy("Credited (EUR)"), "credited_sum", sort="credited_sum", kind="money",
               align="text-end"),
        Column("balance", gettext_lazy("Balance (EUR)"), "balance_due", sort="balance_due", kind="money",
               align="text-end"),
        Column("due_on", gettext_lazy("Due"), sort="due_on", kind="date"),
        Column("status", gettext_lazy("Status"), "get_status_display", sort="status"),
    ]  # fmt: skip

    template_name = "billing/invoice_list.html"

    def get_queryset(self):
        return super().get_queryset().numbered().with_balance()

    def extra_context(self):
        qs, _form, _term, _sort = self.filtered_queryset()
        return {"figures": services.invoice_figures(qs.order_by())}


class InvoiceDetail(ScopedDetailView):
    model = Invoice
    template_name = "billing/invoice_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("organisation", "batch", "beneficiary")

    def get_context(self, invoice):
        user = self.request.user
        can_change = policy_for(Invoice).can(self.scope, CHANGE, invoice)
        report = None
        if invoice.is_numbered and invoice.sends_ubl:
            _xml, report = documents.ubl_for(invoice)
        return {
            "object": invoice,
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "payments": Payment.objects.visible_to(user).filter(invoice=invoice),
            "credit_notes": CreditNote.objects.visible_to(user).filter(invoice=invoice),
            "reminders": Reminder.objects.visible_to(user).filter(invoice=invoice),
            "ubl_report": report,
            "overdue": invoice.is_overdue(),
            "can_pay": can_change and invoice.is_numbered and invoice.balance > 0,
            "can_credit": can_change and invoice.is_numbered and invoice.remaining > 0,
        }


def no_document(view, invoice, reason):
    """The answer for a document that does not exist (a draft's PDF, a person's e-invoice): say why, and where to
    go instead."""
    view.object = invoice
    return view.render("billing/no_document.html", {"invoice": invoice, "reason": reason, "object": invoice})


DRAFT_HAS_NO_DOCUMENT = gettext_lazy("A draft has no document yet: it is numbered when its batch is issued.")
NO_PEPPOL = gettext_lazy("This invoice goes to a recipient without a Peppol address: there is no e-invoice, only the "
                         "PDF.")  # fmt: skip


class InvoicePdf(ScopedDetailView):
    """The invoice as a PDF: the organisation's letterhead, the lines, the totals, the VAT mention and how to pay."""

    model = Invoice

    def base_queryset(self):
        return super().base_queryset().select_related("organisation")

    def get(self, request, *args, **kwargs):
        invoice = self.get_object()
        if not invoice.is_numbered:
            return no_document(self, invoice, DRAFT_HAS_NO_DOCUMENT)
        response = render_pdf(request, "billing/invoice_pdf.html", documents.pdf_context(invoice),
                              f"{invoice.number}.pdf")  # fmt: skip
        audit(actor=request.user, action=AuditEvent.Action.VIEW, obj=invoice, detail={"file": "pdf"})
        return response


def ubl_response(view, request, document):
    xml, report = documents.ubl_for(document)
    view.object = document
    if not report.valid:
        context = {"document": document, "report": report, "invoice": getattr(document, "invoice", document)}
        return view.render("billing/ubl_refused.html", context, status=422)
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{documents.ubl_filename(document)}"'
    audit(actor=request.user, action=AuditEvent.Action.VIEW, obj=document, detail={"file": "ubl"})
    return response


class InvoiceUbl(ScopedDetailView):
    """The Peppol BIS Billing 3.0 UBL of an invoice to a public body, offered only once it passes the schema and
    both rule sets; otherwise each failed rule is shown with its code."""

    model = Invoice

    def base_queryset(self):
        return super().base_queryset().select_related("organisation")

    def get(self, request, *args, **kwargs):
        invoice = self.get_object()
        if not invoice.is_numbered:
            return no_document(self, invoice, DRAFT_HAS_NO_DOCUMENT)
        if not invoice.sends_ubl:
            return no_document(self, invoice, NO_PEPPOL)
        return ubl_response(self, request, invoice)


class PaymentCreate(ScopedActionView):
    model = Invoice
    form_class = forms.PaymentForm
    title = gettext_lazy("Record a payment")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.setdefault("initial", {"amount": self.object.balance, "paid_on": timezone.localdate()})
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        services.record_payment(self.object, actor=self.request.user, amount=data["amount"], paid_on=data["paid_on"],
                                method=data["method"], reference=data["reference"])  # fmt: skip
        self.object.refresh_from_db()
        return _("Payment recorded: %(balance)s EUR left to pay.") % {"balance": self.object.balance}


class CreditNoteCreate(ScopedActionView):
    model = Invoice
    form_class = forms.CreditNoteForm
    title = gettext_lazy("Issue a credit note")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.setdefault("initial", {"amount": self.object.remaining})
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        note = services.issue_credit_note(self.object, actor=self.request.user, amount=data["amount"],
                                          reason=data["reason"])  # fmt: skip
        return _("Credit note %(number)s issued.") % {"number": note.number}


# --- credit notes and payments --------------------------------------------------------------------------------


class CreditNoteList(ScopedListView):
    model = CreditNote
    title = gettext_lazy("Credit notes")
    intro = gettext_lazy("The corrections of issued invoices. Filter a period, then export it (CSV or XLSX).")
    filter_form_class = forms.CreditNoteFilterForm
    search_fields = ["number", "invoice__number", "invoice__buyer_name", "reason"]
    default_sort = "-issued_on"
    paginate_by = 50
    export_name = "credit-notes"
    select_related = ["invoice__organisation"]
    columns = [
        Column("number", gettext_lazy("Number"), sort="number", link=True),
        Column("issued_on", gettext_lazy("Issued on"), sort="issued_on", kind="date"),
        Column("invoice", gettext_lazy("Invoice"), "invoice.number", sort="invoice__number"),
        Column("organisation", gettext_lazy("Organisation"), "invoice.organisation.display_name"),
        Column("buyer", gettext_lazy("Billed to"), "invoice.buyer_name", sort="invoice__buyer_name"),
        Column("reason", gettext_lazy("Reason")),
        Column("net_total", gettext_lazy("Without VAT (EUR)"), kind="money", align="text-end"),
        Column("total", gettext_lazy("Credited (EUR)"), sort="total", kind="money", align="text-end"),
    ]  # fmt: skip


class CreditNotePdf(ScopedDetailView):
    model = CreditNote

    def base_queryset(self):
        return super().base_queryset().select_related("invoice__organisation")

    def get(self, request, *args, **kwargs):
        note = self.get_object()
        response = render_pdf(request, "billing/invoice_pdf.html", documents.pdf_context(note), f"{note.number}.pdf")
        audit(actor=request.user, action=AuditEvent.Action.VIEW, obj=note, detail={"file": "pdf"})
        return response


class CreditNoteUbl(ScopedDetailView):
    model = CreditNote

    def base_queryset(self):
        return super().base_queryset().select_related("invoice__organisation")

    def get(self, request, *args, **kwargs):
        note = self.get_object()
        if not note.invoice.sends_ubl:
            return no_document(self, note.invoice, NO_PEPPOL)
        return ubl_response(self, request, note)


class PaymentList(ScopedListView):
    model = Payment
    title = gettext_lazy("Payments")
    intro = gettext_lazy("Money received for invoices. Filter a period, then export it (CSV or XLSX).")
    filter_form_class = forms.PaymentFilterForm
    search_fields = ["invoice__number", "invoice__buyer_name", "reference"]
    default_sort = "-paid_on"
    paginate_by = 50
    export_name = "payments"
    select_related = ["invoice__organisation"]
    columns = [
        Column("paid_on", gettext_lazy("Received on"), sort="paid_on", kind="date", link=True),
        Column("invoice", gettext_lazy("Invoice"), "invoice.number", sort="invoice__number"),
        Column("organisation", gettext_lazy("Organisation"), "invoice.organisation.display_name"),
        Column("buyer", gettext_lazy("Paid by"), "invoice.buyer_name", sort="invoice__buyer_name"),
        Column("method", gettext_lazy("Method"), "get_method_display", sort="method"),
        Column("reference", gettext_lazy("Reference")),
        Column("amount", gettext_lazy("Amount (EUR)"), sort="amount", kind="money", align="text-end"),
    ]  # fmt: skip
