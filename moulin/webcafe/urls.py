from django.urls import path

from moulin.webcafe import public, views

app_name = "webcafe"

urlpatterns = [
    path("", views.VenueList.as_view(), name="venue_list"),
    path("new/", views.VenueCreate.as_view(), name="venue_create"),
    path("<int:pk>/", views.VenueDetail.as_view(), name="venue_detail"),
    path("<int:pk>/edit/", views.VenueUpdate.as_view(), name="venue_update"),
    path("<int:pk>/delete/", views.VenueDelete.as_view(), name="venue_delete"),
    path("<int:venue>/hours/new/", views.OpeningSlotCreate.as_view(), name="opening_slot_create"),
    path("hours/<int:pk>/edit/", views.OpeningSlotUpdate.as_view(), name="opening_slot_update"),
    path("hours/<int:pk>/delete/", views.OpeningSlotDelete.as_view(), name="opening_slot_delete"),
    path("<int:venue>/closures/new/", views.ClosureCreate.as_view(), name="closure_create"),
    path("closures/<int:pk>/delete/", views.ClosureDelete.as_view(), name="closure_delete"),
    path("visits/", views.VisitDayList.as_view(), name="visit_day_list"),
    path("<int:venue>/visits/new/", views.VisitDayCreate.as_view(), name="visit_day_create"),
    path("visits/<int:pk>/edit/", views.VisitDayUpdate.as_view(), name="visit_day_update"),
    path("courses/", views.PublicCourseList.as_view(), name="public_course_list"),
    path("<int:venue>/courses/new/", views.PublicCourseCreate.as_view(), name="public_course_create"),
    path("courses/<int:pk>/", views.PublicCourseDetail.as_view(), name="public_course_detail"),
    path("courses/<int:pk>/edit/", views.PublicCourseUpdate.as_view(), name="public_course_update"),
    path("registrations/", views.RegistrationList.as_view(), name="registration_list"),
    path("courses/<int:course>/register/", views.RegistrationCreate.as_view(), name="registration_create"),
    path("registrations/<int:pk>/cancel/", views.RegistrationCancel.as_view(), name="registration_cancel"),
    path("figures/", views.WebcafeFigures.as_view(), name="figures"),
    # public pages: no sign-in (tests/test_scope.py declares them)
    path("public/registered/", public.Registered.as_view(), name="public_registered"),
    path("public/course/<int:pk>/register/", public.RegisterPage.as_view(), name="public_register"),
    path("public/<str:code>/", public.CommunePage.as_view(), name="public_commune"),
]
