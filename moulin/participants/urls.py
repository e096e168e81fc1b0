from django.urls import path

from moulin.participants import views

app_name = "participants"

urlpatterns = [
    path("", views.ParticipantList.as_view(), name="list"),
    path("refer/", views.ReferralCreate.as_view(), name="refer"),
    path("waiting-list/", views.WaitingList.as_view(), name="waiting_list"),
    path("contracts/", views.ContractList.as_view(), name="contract_list"),
    path("contracts/<int:pk>/edit/", views.ContractUpdate.as_view(), name="contract_update"),
    path("contracts/<int:pk>/renew/", views.ContractRenew.as_view(), name="contract_renew"),
    path("contracts/<int:pk>/end/", views.ContractEnd.as_view(), name="contract_end"),
    path("follow-ups/", views.FollowUpList.as_view(), name="follow_up_list"),
    path("follow-ups/<int:pk>/", views.FollowUpRecord.as_view(), name="follow_up_record"),
    path("measures/", views.MeasureList.as_view(), name="measure_list"),
    path("measures/<int:pk>/edit/", views.MeasureUpdate.as_view(), name="measure_update"),
    path("settings/", views.PathwaySettingsView.as_view(), name="settings"),
    path("figures/", views.PathwayFigures.as_view(), name="figures"),
    path("obstacles/<int:pk>/edit/", views.ObstacleUpdate.as_view(), name="obstacle_update"),
    path("goals/<int:pk>/edit/", views.GoalUpdate.as_view(), name="goal_update"),
    path("actions/<int:pk>/edit/", views.ActionUpdate.as_view(), name="action_update"),
    path("sessions/<int:pk>/edit/", views.SessionUpdate.as_view(), name="session_update"),
    path("exits/<int:pk>/edit/", views.ExitUpdate.as_view(), name="exit_update"),
    path("<uuid:public_id>/", views.ParticipantDetail.as_view(), name="detail"),
    path("<uuid:public_id>/edit/", views.ParticipantUpdate.as_view(), name="update"),
    path("<uuid:public_id>/intake/new/", views.IntakeCreate.as_view(), name="intake_create"),
    path("<uuid:public_id>/contracts/new/", views.ContractCreate.as_view(), name="contract_create"),
    path("<uuid:public_id>/entry-data/", views.EntryDataEdit.as_view(), name="entry_data"),
    path("<uuid:public_id>/sensitive-data/", views.SensitiveDataEdit.as_view(), name="sensitive_data"),
    path("<uuid:public_id>/obstacles/new/", views.ObstacleCreate.as_view(), name="obstacle_create"),
    path("<uuid:public_id>/goals/new/", views.GoalCreate.as_view(), name="goal_create"),
    path("<uuid:public_id>/actions/new/", views.ActionCreate.as_view(), name="action_create"),
    path("<uuid:public_id>/reviews/new/", views.ReviewCreate.as_view(), name="review_create"),
    path("<uuid:public_id>/sessions/new/", views.SessionCreate.as_view(), name="session_create"),
    path("<uuid:public_id>/exit/new/", views.ExitCreate.as_view(), name="exit_create"),
    path("<uuid:public_id>/exit-summary.pdf", views.ExitSummaryPdf.as_view(), name="exit_summary"),
    path("<uuid:public_id>/access-export.pdf", views.AccessExportPdf.as_view(), name="access_export_pdf"),
    path("<uuid:public_id>/access-export.json", views.AccessExportJson.as_view(), name="access_export_json"),
    path("<uuid:public_id>/erase/", views.ParticipantErase.as_view(), name="erase"),
    path("<uuid:public_id>/merge/", views.ParticipantMerge.as_view(), name="merge"),
]
