from django.contrib.auth import views as auth_views
from django.urls import path

from moulin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UserList.as_view(), name="user_list"),
    path("users/new/", views.UserCreate.as_view(), name="user_create"),
    path("users/<uuid:public_id>/", views.UserDetail.as_view(), name="user_detail"),
    path("users/<uuid:public_id>/edit/", views.UserUpdate.as_view(), name="user_update"),
    path("users/<uuid:public_id>/roles/", views.RoleAdd.as_view(), name="role_add"),
    path("roles/<int:pk>/remove/", views.RoleRemove.as_view(), name="role_remove"),
]
