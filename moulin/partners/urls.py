from django.urls import path

from moulin.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.PartnerList.as_view(), name="list"),
    path("new/", views.PartnerCreate.as_view(), name="create"),
    path("<int:pk>/", views.PartnerDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PartnerUpdate.as_view(), name="update"),
    path("<int:pk>/delete/", views.PartnerDelete.as_view(), name="delete"),
    path("<int:pk>/contacts/new/", views.ContactCreate.as_view(), name="contact_create"),
    path("<int:pk>/partnerships/new/", views.PartnershipCreate.as_view(), name="partnership_create"),
    path("contacts/<int:pk>/edit/", views.ContactUpdate.as_view(), name="contact_update"),
    path("contacts/<int:pk>/delete/", views.ContactDelete.as_view(), name="contact_delete"),
    path("partnerships/<int:pk>/edit/", views.PartnershipUpdate.as_view(), name="partnership_update"),
    path("partnerships/<int:pk>/delete/", views.PartnershipDelete.as_view(), name="partnership_delete"),
]
