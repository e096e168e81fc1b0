from django.urls import path

from moulin.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("sites/", views.SiteList.as_view(), name="site_list"),
    path("projects/<int:pk>/sites/new/", views.SiteCreate.as_view(), name="site_create"),
    path("sites/<int:pk>/", views.SiteDetail.as_view(), name="site_detail"),
    path("sites/<int:pk>/edit/", views.SiteUpdate.as_view(), name="site_update"),
    path("sites/<int:pk>/recurring/new/", views.RecurringCreate.as_view(), name="recurring_create"),
    path("recurring/<int:pk>/", views.RecurringDetail.as_view(), name="recurring_detail"),
    path("recurring/<int:pk>/edit/", views.RecurringUpdate.as_view(), name="recurring_update"),
    path("recurring/<int:pk>/generate/", views.RecurringGenerate.as_view(), name="recurring_generate"),
    path("work-orders/", views.WorkOrderList.as_view(), name="work_order_list"),
    path("today/", views.TodayList.as_view(), name="today"),
    path("work-orders/<int:pk>/", views.WorkOrderDetail.as_view(), name="work_order_detail"),
    path("work-orders/<int:pk>/status/", views.WorkOrderTransition.as_view(), name="work_order_transition"),
    path("work-orders/<int:pk>/hours/", views.TimeSheet.as_view(), name="time_sheet"),
    path("schedule/", views.Schedule.as_view(), name="schedule"),
    path("teams/<int:pk>/schedule/", views.TeamSchedule.as_view(), name="team_schedule"),
    path("teams/<int:pk>/feed/new/", views.TeamFeedAction.as_view(), name="team_feed_renew"),
    path("teams/<int:pk>/feed/revoke/", views.TeamFeedRevoke.as_view(), name="team_feed_revoke"),
    path("feeds/<str:token>.ics", views.TeamFeedView.as_view(), name="team_feed"),
    path("time-entries/", views.TimeEntryList.as_view(), name="time_entry_list"),
    path("sw.js", views.FieldServiceWorker.as_view(), name="service_worker"),
    path("time-entries/new/", views.TimeEntryCreate.as_view(), name="time_entry_create"),
]
