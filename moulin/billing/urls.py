from django.urls import path

from moulin.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.InvoiceList.as_view(), name="list"),
    path("<int:pk>/", views.InvoiceDetail.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.InvoicePdf.as_view(), name="invoice_pdf"),
    path("<int:pk>/ubl/", views.InvoiceUbl.as_view(), name="invoice_ubl"),
    path("<int:pk>/payment/", views.PaymentCreate.as_view(), name="payment_create"),
    path("<int:pk>/credit-note/", views.CreditNoteCreate.as_view(), name="credit_note_create"),
    path("batches/", views.BatchList.as_view(), name="batch_list"),
    path("batches/new/", views.BatchCreate.as_view(), name="batch_create"),
    path("batches/<int:pk>/", views.BatchDetail.as_view(), name="batch_detail"),
    path("batches/<int:pk>/issue/", views.BatchIssue.as_view(), name="batch_issue"),
    path("batches/<int:pk>/discard/", views.BatchDiscard.as_view(), name="batch_discard"),
    path("credit-notes/", views.CreditNoteList.as_view(), name="credit_note_list"),
    path("credit-notes/<int:pk>/pdf/", views.CreditNotePdf.as_view(), name="credit_note_pdf"),
    path("credit-notes/<int:pk>/ubl/", views.CreditNoteUbl.as_view(), name="credit_note_ubl"),
    path("payments/", views.PaymentList.as_view(), name="payment_list"),
]
