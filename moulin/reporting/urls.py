from django.urls import path

from moulin.reporting import esf_views, report_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.NetworkDashboard.as_view(), name="dashboard"),
    path("organisation/<int:pk>/", views.OrganisationDashboard.as_view(), name="organisation_dashboard"),
    path("commune/<int:pk>/", views.CommuneDashboard.as_view(), name="commune_dashboard"),
    path("project/<int:pk>/", views.ProjectDashboard.as_view(), name="project_dashboard"),
    path("domain/<int:pk>/", views.DomainDashboard.as_view(), name="domain_dashboard"),
    path("coverage.geojson", views.CoverageMapData.as_view(), name="coverage_data"),
    path("records/", views.FigureRecords.as_view(), name="records"),
    path("annual-report/", report_views.AnnualReportPage.as_view(), name="annual_report"),
    path("annual-report/<int:pk>/", report_views.AnnualReportDetail.as_view(), name="annual_report_detail"),
    path(
        "annual-report/<int:pk>/download/", report_views.AnnualReportDownload.as_view(), name="annual_report_download"
    ),
    path("esf/", esf_views.EsfIndicators.as_view(), name="esf"),
    path("esf/participants/", esf_views.EsfParticipants.as_view(), name="esf_participants"),
]
