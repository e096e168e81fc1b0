from django.urls import path

from moulin.core import audit_log, home

app_name = "core"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("search/", home.SearchView.as_view(), name="search"),
    path("audit/", audit_log.AuditList.as_view(), name="audit_list"),
    path("settings/", home.NetworkSettingsView.as_view(), name="settings"),
]
