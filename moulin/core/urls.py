from django.urls import path

from moulin.core import home

app_name = "core"

urlpatterns = [
    path("audit/", home.AuditList.as_view(), name="audit_list"),
    path("settings/", home.NetworkSettingsView.as_view(), name="settings"),
]
