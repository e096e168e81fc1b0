from django.urls import path

from moulin.projects import views

app_name = "projects"

urlpatterns = [
    path("needs/", views.NeedList.as_view(), name="need_list"),
    path("needs/new/", views.NeedCreate.as_view(), name="need_create"),
    path("needs/<int:pk>/", views.NeedDetail.as_view(), name="need_detail"),
    path("needs/<int:pk>/edit/", views.NeedUpdate.as_view(), name="need_update"),
    path("needs/<int:pk>/status/", views.NeedStatusChange.as_view(), name="need_status"),
    path("needs/<int:pk>/delete/", views.NeedDelete.as_view(), name="need_delete"),
    path("projects/", views.ProjectList.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreate.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetail.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdate.as_view(), name="project_update"),
    path("projects/<int:pk>/delete/", views.ProjectDelete.as_view(), name="project_delete"),
    path("projects/<int:pk>/indicators/new/", views.IndicatorCreate.as_view(), name="indicator_create"),
    path("projects/<int:pk>/teams/new/", views.TeamCreate.as_view(), name="team_create"),
    path("projects/<int:pk>/partners/new/", views.ProjectPartnershipCreate.as_view(), name="partnership_create"),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdate.as_view(), name="indicator_update"),
    path("indicators/<int:pk>/delete/", views.IndicatorDelete.as_view(), name="indicator_delete"),
    path("indicators/<int:pk>/values/new/", views.IndicatorValueCreate.as_view(), name="indicator_value_create"),
    path("indicator-values/<int:pk>/edit/", views.IndicatorValueUpdate.as_view(), name="indicator_value_update"),
    path("indicator-values/<int:pk>/delete/", views.IndicatorValueDelete.as_view(), name="indicator_value_delete"),
    path("teams/", views.TeamList.as_view(), name="team_list"),
    path("teams/<int:pk>/", views.TeamDetail.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views.TeamUpdate.as_view(), name="team_update"),
    path("teams/<int:pk>/delete/", views.TeamDelete.as_view(), name="team_delete"),
    path("planning/", views.PlanningIndex.as_view(), name="planning_index"),
    path("planning/<str:code>/", views.PlanningView.as_view(), name="planning"),
    path("planning/<str:code>/pdf/", views.PlanningPdf.as_view(), name="planning_pdf"),
]
