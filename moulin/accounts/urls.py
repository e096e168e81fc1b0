from django.urls import path

from moulin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/code/", views.VerifyView.as_view(), name="verify"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/password/confirm/", views.ConfirmPasswordView.as_view(), name="confirm_password"),
    path("me/two-factor/", views.EnrolView.as_view(), name="enrol"),
    path("me/two-factor/codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("users/", views.UserList.as_view(), name="user_list"),
    path("users/new/", views.UserCreate.as_view(), name="user_create"),
    path("users/<uuid:public_id>/", views.UserDetail.as_view(), name="user_detail"),
    path("users/<uuid:public_id>/edit/", views.UserUpdate.as_view(), name="user_update"),
    path("users/<uuid:public_id>/unlock/", views.UnlockView.as_view(), name="user_unlock"),
    path("users/<uuid:public_id>/two-factor/remove/", views.RemoveSecondFactorView.as_view(), name="user_remove_2fa"),
    path("users/<uuid:public_id>/roles/", views.RoleAdd.as_view(), name="role_add"),
    path("roles/<int:pk>/remove/", views.RoleRemove.as_view(), name="role_remove"),
]
