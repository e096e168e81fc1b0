from django.urls import path

from moulin.territory import views

app_name = "territory"

urlpatterns = [
    path("", views.CoverageMap.as_view(), name="map"),
    path("coverage.geojson", views.CoverageData.as_view(), name="coverage_data"),
    path("cantons/", views.CantonList.as_view(), name="canton_list"),
    path("communes/", views.CommuneList.as_view(), name="commune_list"),
    path("communes/new/", views.CommuneCreate.as_view(), name="commune_create"),
    path("communes/<str:code>/", views.CommuneDetail.as_view(), name="commune_detail"),
    path("communes/<str:code>/edit/", views.CommuneUpdate.as_view(), name="commune_update"),
]
