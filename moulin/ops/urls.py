from django.urls import path

from moulin.ops import views

app_name = "ops"

urlpatterns = [
    path("jobs/", views.JobList.as_view(), name="job_list"),
    path("jobs/runs/", views.RunList.as_view(), name="run_list"),
]
