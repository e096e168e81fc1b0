from django.urls import path

from moulin.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.OrganisationList.as_view(), name="list"),
    path("new/", views.OrganisationCreate.as_view(), name="create"),
    path("volunteering/", views.VolunteerHoursList.as_view(), name="volunteering_list"),
    path("volunteering/<int:pk>/edit/", views.VolunteerHoursUpdate.as_view(), name="volunteering_update"),
    path("volunteering/<int:pk>/delete/", views.VolunteerHoursDelete.as_view(), name="volunteering_delete"),
    path("premises/<int:pk>/edit/", views.PremisesUpdate.as_view(), name="premises_update"),
    path("premises/<int:pk>/delete/", views.PremisesDelete.as_view(), name="premises_delete"),
    path("mandates/<int:pk>/edit/", views.MandateUpdate.as_view(), name="mandate_update"),
    path("mandates/<int:pk>/delete/", views.MandateDelete.as_view(), name="mandate_delete"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdate.as_view(), name="meeting_update"),
    path("meetings/<int:pk>/delete/", views.MeetingDelete.as_view(), name="meeting_delete"),
    path("meetings/<int:pk>/minutes/", views.MeetingMinutes.as_view(), name="meeting_minutes"),
    path("<slug:slug>/", views.OrganisationDetail.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.OrganisationUpdate.as_view(), name="update"),
    path("<slug:slug>/premises/new/", views.PremisesCreate.as_view(), name="premises_create"),
    path("<slug:slug>/mandates/new/", views.MandateCreate.as_view(), name="mandate_create"),
    path("<slug:slug>/meetings/new/", views.MeetingCreate.as_view(), name="meeting_create"),
    path("<slug:slug>/volunteering/new/", views.VolunteerHoursCreate.as_view(), name="volunteering_create"),
]
