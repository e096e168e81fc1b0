from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from moulin.access.policy import ADD, CHANGE
from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.accounts.forms import (
    LoginForm,
    ProfileForm,
    RoleAssignmentForm,
    StyledPasswordChangeForm,
    UserFilterForm,
    UserForm,
)
from moulin.accounts.models import RoleAssignment, User
from moulin.core.services import delete_object, save_form
from moulin.core.tables import Column
from moulin.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedMixin


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user keeps the choice on their account."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {"en", "fr", "de"}:
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


class ProfileView(ScopedMixin, View):
    model = User

    def get_breadcrumbs(self):
        return [(_("My account"), "")]

    def get(self, request):
        return self._render(ProfileForm(instance=request.user, request=request))

    def post(self, request):
        form = ProfileForm(request.POST, instance=request.user, request=request)
        if not form.is_valid():
            return self._render(form, status=422)
        save_form(form, actor=request.user)
        response = HttpResponseRedirect(reverse("accounts:profile"))
        response.set_cookie("django_language", form.cleaned_data["language"], samesite="Lax")
        messages.success(request, _("Your account has been updated."))
        return response

    def _render(self, form, status=200):
        roles = RoleAssignment.objects.visible_to(self.request.user).filter(user=self.request.user)
        roles = roles.select_related("organisation", "commune")
        return self.render("accounts/profile.html", {"form": form, "roles": roles, "title": _("My account")}, status)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class UserList(ScopedListView):
    model = User
    title = gettext_lazy("Users and roles")
    filter_form_class = UserFilterForm
    search_fields = ["full_name", "email"]
    default_sort = "full_name"
    export_name = "users"
    prefetch_related = ["role_assignments__organisation", "role_assignments__commune"]
    create_url_name = "accounts:user_create"
    columns = [
        Column("full_name", gettext_lazy("Name"), sort="full_name", link=True),
        Column("email", gettext_lazy("Email"), sort="email"),
        Column("roles", gettext_lazy("Roles"), lambda u: "; ".join(str(r) for r in u.role_assignments.all())),
        Column("is_active", gettext_lazy("Active"), sort="is_active"),
        Column("last_login", gettext_lazy("Last login"), sort="last_login"),
    ]

    def get_breadcrumbs(self):
        return [(_("Users and roles"), "")]


class UserDetail(ScopedDetailView):
    model = User
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"
    template_name = "accounts/user_detail.html"

    def get_context(self, user):
        scope = scope_for(self.request.user)
        return {
            "object": user,
            "roles": RoleAssignment.objects.visible_to(self.request.user)
            .filter(user=user)
            .select_related("organisation", "commune"),
            "role_form": RoleAssignmentForm(request=self.request),
            "can_add_role": policy_for(RoleAssignment).can(scope, ADD, user),
        }


class UserCreate(ScopedFormView):
    model = User
    form_class = UserForm
    creating = True
    crumb_label = gettext_lazy("New user")

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.object.public_id])


class UserUpdate(ScopedFormView):
    model = User
    form_class = UserForm
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.object.public_id])

    def get_cancel_url(self):
        return self.get_success_url()


@method_decorator(require_POST, name="dispatch")
class RoleAdd(ScopedMixin, View):
    model = RoleAssignment

    def post(self, request, public_id):
        user = get_object_or_404(User.objects.visible_to(request.user), public_id=public_id)
        if not self.policy().can(self.scope, ADD, user):
            raise PermissionDenied(_("Only network administrators assign roles."))
        form = RoleAssignmentForm(request.POST, instance=RoleAssignment(user=user), request=request)
        target = reverse("accounts:user_detail", args=[user.public_id])
        if form.is_valid():
            save_form(form, actor=request.user)
            messages.success(request, _("Role added: %(role)s.") % {"role": form.instance})
            return HttpResponseRedirect(target)
        detail = UserDetail()
        detail.setup(request, public_id=public_id)
        detail.object = user
        context = detail.get_context(user)
        context["role_form"] = form
        messages.error(request, _("The role was not added: see the message next to the field."))
        return detail.render("accounts/user_detail.html", context, status=422)


@method_decorator(require_POST, name="dispatch")
class RoleRemove(ScopedMixin, View):
    model = RoleAssignment

    def post(self, request, pk):
        role = get_object_or_404(RoleAssignment.objects.visible_to(request.user), pk=pk)
        if not self.policy().can(self.scope, CHANGE, role):
            raise PermissionDenied(_("Only network administrators remove roles."))
        target = reverse("accounts:user_detail", args=[role.user.public_id])
        delete_object(role, actor=request.user)
        messages.success(request, _("Role removed: %(role)s.") % {"role": role})
        return HttpResponseRedirect(target)
