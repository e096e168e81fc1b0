from django.urls import path

from moulin.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractList.as_view(), name="list"),
    path("new/", views.ContractCreate.as_view(), name="create"),
    path("<int:pk>/", views.ContractDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ContractUpdate.as_view(), name="update"),
    path("<int:pk>/status/", views.ContractTransition.as_view(), name="contract_transition"),
    path("<int:pk>/renew/", views.ContractRenew.as_view(), name="contract_renew"),
    path("<int:pk>/documents/new/", views.ContractDocumentCreate.as_view(), name="document_create"),
    path("documents/<int:pk>/", views.ContractDocumentDownload.as_view(), name="document_download"),
    path("counterparties/", views.CounterpartyList.as_view(), name="counterparty_list"),
    path("counterparties/new/", views.CounterpartyCreate.as_view(), name="counterparty_create"),
    path("counterparties/<int:pk>/", views.CounterpartyDetail.as_view(), name="counterparty_detail"),
    path("counterparties/<int:pk>/edit/", views.CounterpartyUpdate.as_view(), name="counterparty_update"),
    path("funding/", views.FundingList.as_view(), name="funding_list"),
    path("funding/new/", views.FundingCreate.as_view(), name="funding_create"),
    path("funding/<int:pk>/", views.FundingDetail.as_view(), name="funding_detail"),
    path("funding/<int:pk>/edit/", views.FundingUpdate.as_view(), name="funding_update"),
    path("funding/<int:pk>/status/", views.FundingTransition.as_view(), name="funding_transition"),
    path("funding/sources/", views.FundingSourceList.as_view(), name="funding_source_list"),
    path("funding/sources/new/", views.FundingSourceCreate.as_view(), name="funding_source_create"),
    path("funding/mix/", views.FundingMixView.as_view(), name="funding_mix"),
    path("receipts/", views.ReceiptList.as_view(), name="receipt_list"),
    path("receipts/new/", views.ReceiptCreate.as_view(), name="receipt_create"),
    path("receipts/<int:pk>/", views.ReceiptDetail.as_view(), name="receipt_detail"),
    path("receipts/<int:pk>/cancel/", views.ReceiptCancel.as_view(), name="receipt_cancel"),
    path("budgets/", views.BudgetList.as_view(), name="budget_list"),
    path("budgets/new/", views.BudgetCreate.as_view(), name="budget_create"),
    path("budgets/close-year/", views.CloseYear.as_view(), name="close_year"),
    path("budgets/ledger/", views.LedgerImportView.as_view(), name="ledger_import"),
    path("budgets/<int:pk>/", views.BudgetDetail.as_view(), name="budget_detail"),
    path("budgets/<int:pk>/edit/", views.BudgetUpdate.as_view(), name="budget_update"),
    path("budgets/<int:pk>/lines/new/", views.BudgetLineCreate.as_view(), name="budget_line_create"),
    path("budget-lines/<int:pk>/edit/", views.BudgetLineUpdate.as_view(), name="budget_line_update"),
]
