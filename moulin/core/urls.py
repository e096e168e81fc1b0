from django.urls import path

from moulin.core import audit_log, home

app_name = "core"

urlpatterns = [
    path("audit/", audit_log.AuditList.as_view(), name="audit_list"),
    path("settings/", home.NetworkSettingsView.as_view(), name="settings"),
]
