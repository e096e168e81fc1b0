from django.urls import path

from moulin.care import public, views

app_name = "care"

urlpatterns = [
    path("", views.RequestList.as_view(), name="request_list"),
    path("requests/<int:pk>/", views.RequestDetail.as_view(), name="request_detail"),
    path("requests/<int:pk>/decline/", views.RequestDecline.as_view(), name="request_decline"),
    path("requests/<int:pk>/cancel/", views.RequestCancel.as_view(), name="request_cancel"),
    path("requests/<int:pk>/schedule/", views.InterventionCreate.as_view(), name="intervention_create"),
    path("beneficiaries/", views.BeneficiaryList.as_view(), name="beneficiary_list"),
    path("beneficiaries/new/", views.BeneficiaryCreate.as_view(), name="beneficiary_create"),
    path("beneficiaries/<int:pk>/", views.BeneficiaryDetail.as_view(), name="beneficiary_detail"),
    path("beneficiaries/<int:pk>/edit/", views.BeneficiaryUpdate.as_view(), name="beneficiary_update"),
    path(
        "beneficiaries/<int:pk>/access-export.json",
        views.BeneficiaryAccessExportJson.as_view(),
        name="beneficiary_access_export_json",
    ),
    path(
        "beneficiaries/<int:pk>/access-export.pdf",
        views.BeneficiaryAccessExportPdf.as_view(),
        name="beneficiary_access_export_pdf",
    ),
    path("beneficiaries/<int:pk>/erase/", views.BeneficiaryErase.as_view(), name="beneficiary_erase"),
    path("settings/", views.CareSettingsView.as_view(), name="settings"),
    path("beneficiaries/<int:pk>/requests/new/", views.RequestCreate.as_view(), name="request_create"),
    path("interventions/", views.InterventionList.as_view(), name="intervention_list"),
    path("interventions/<int:pk>/", views.InterventionDetail.as_view(), name="intervention_detail"),
    path("interventions/<int:pk>/complete/", views.InterventionComplete.as_view(), name="intervention_complete"),
    path("photos/<int:pk>/", views.InterventionPhotoDownload.as_view(), name="intervention_photo"),
    path("services/", views.ServiceTypeList.as_view(), name="service_list"),
    path("figures/", views.ServiceResults.as_view(), name="service_results"),
    path("services/new/", views.ServiceTypeCreate.as_view(), name="service_create"),
    path("services/<int:pk>/", views.ServiceTypeDetail.as_view(), name="service_detail"),
    path("services/<int:pk>/edit/", views.ServiceTypeUpdate.as_view(), name="service_update"),
    path("work-kinds/", views.WorkKindList.as_view(), name="work_kind_list"),
    path("work-kinds/new/", views.WorkKindCreate.as_view(), name="work_kind_create"),
    path("tariff/", views.SocialTariffList.as_view(), name="tariff_list"),
    path("tariff/new/", views.SocialTariffCreate.as_view(), name="tariff_create"),
    path("tariff/<int:pk>/edit/", views.SocialTariffUpdate.as_view(), name="tariff_update"),
    path("surveys/", views.SurveyList.as_view(), name="survey_list"),
    path("surveys/<int:pk>/record/", views.SurveyRecord.as_view(), name="survey_record"),
    # public pages: no sign-in (tests/test_scope.py declares them)
    path("public/<str:code>/", public.Directory.as_view(), name="public_directory"),
    path("public/<str:code>/request/", public.RequestFormPage.as_view(), name="public_request"),
    path("public/request/received/", public.RequestReceived.as_view(), name="public_request_received"),
    path("public/survey/<str:token>/", public.SurveyPage.as_view(), name="public_survey"),
]
