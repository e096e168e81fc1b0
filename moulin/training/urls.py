from django.urls import path

from moulin.training import views

app_name = "training"

urlpatterns = [
    path("", views.CourseList.as_view(), name="course_list"),
    path("new/", views.CourseCreate.as_view(), name="course_create"),
    path("<int:pk>/", views.CourseDetail.as_view(), name="course_detail"),
    path("<int:pk>/edit/", views.CourseUpdate.as_view(), name="course_update"),
    path("<int:pk>/delete/", views.CourseDelete.as_view(), name="course_delete"),
    path("<int:pk>/sessions/new/", views.SessionCreate.as_view(), name="session_create"),
    path("sessions/", views.SessionList.as_view(), name="session_list"),
    path("sessions/<int:pk>/", views.SessionDetail.as_view(), name="session_detail"),
    path("sessions/<int:pk>/edit/", views.SessionUpdate.as_view(), name="session_update"),
    path("sessions/<int:pk>/delete/", views.SessionDelete.as_view(), name="session_delete"),
    path("sessions/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("sessions/<int:pk>/complete/", views.SessionComplete.as_view(), name="session_complete"),
    path("sessions/<int:pk>/enrol/", views.EnrolmentCreate.as_view(), name="enrolment_create"),
    path("sessions/<int:pk>/enrol-public/", views.PublicEnrolmentCreate.as_view(), name="public_enrolment_create"),
    path("enrolments/", views.EnrolmentList.as_view(), name="enrolment_list"),
    path("enrolments/<int:pk>/complete/", views.EnrolmentComplete.as_view(), name="enrolment_complete"),
    path("enrolments/<int:pk>/cancel/", views.EnrolmentCancel.as_view(), name="enrolment_cancel"),
    path("certificates/<int:pk>/", views.CertificatePdf.as_view(), name="certificate_pdf"),
    path("skills/", views.SkillList.as_view(), name="skill_list"),
    path("skills/new/", views.SkillCreate.as_view(), name="skill_create"),
    path("workers/<uuid:public_id>/", views.WorkerTraining.as_view(), name="worker"),
    path("workers/<uuid:public_id>/skills/new/", views.ParticipantSkillCreate.as_view(), name="worker_skill_create"),
    path("skills-record/<int:pk>/delete/", views.ParticipantSkillDelete.as_view(), name="worker_skill_delete"),
]
