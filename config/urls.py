from django.contrib import admin
from django.urls import include, path

from config.api import api
from moulin.accounts.views import set_language
from moulin.core.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("", include("moulin.home.urls")),
    path("", include("moulin.core.urls")),
    path("accounts/", include("moulin.accounts.urls")),
    path("organisations/", include("moulin.organisations.urls")),
    path("territory/", include("moulin.territory.urls")),
    path("partners/", include("moulin.partners.urls")),
    path("", include("moulin.projects.urls")),
    path("participants/", include("moulin.participants.urls")),
    path("training/", include("moulin.training.urls")),
    path("care/", include("moulin.care.urls")),
    path("field/", include("moulin.fieldwork.urls")),
    path("contracts/", include("moulin.contracts.urls")),
    path("web-cafes/", include("moulin.webcafe.urls")),
    path("invoices/", include("moulin.billing.urls")),
    path("ops/", include("moulin.ops.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "moulin.core.errors.bad_request"
handler403 = "moulin.core.errors.permission_denied"
handler404 = "moulin.core.errors.page_not_found"
handler500 = "moulin.core.errors.server_error"
