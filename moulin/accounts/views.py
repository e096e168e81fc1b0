from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from moulin.access.policy import ADD, CHANGE
from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.accounts import security
from moulin.accounts.forms import (
    ConfirmPasswordForm,
    LoginForm,
    OTPTokenForm,
    ProfileForm,
    RoleAssignmentForm,
    StyledPasswordChangeForm,
    StyledPasswordResetForm,
    StyledSetPasswordForm,
    UserFilterForm,
    UserForm,
)
from moulin.accounts.models import RoleAssignment, User
from moulin.core.services import delete_object, save_form
from moulin.core.tables import Column
from moulin.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedMixin


class LogoutView(auth_views.LogoutView):
    """Signing out also clears what this browser keeps of the site: the offline copies of the time sheets (the
    service worker's cache, which shows today's team by name), the queue of hours not sent yet, and the service
    worker itself (``Clear-Site-Data``; docs/decisions/0009-offline-time-sheet-copies.md). The page warns first
    when hours are still queued (``moulin.js``)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a page saying why and what to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    return TemplateResponse(
        request, "accounts/locked_out.html", {"minutes": minutes, "title": _("Sign-in paused")}, status=429
    ).render()


class VerifyView(View):
    """The second step of a sign-in: a code of the authenticator app, or a recovery code."""

    template_name = "accounts/verify.html"

    def get(self, request):
        return self._render(OTPTokenForm())

    def post(self, request):
        form = OTPTokenForm(request.POST)
        if form.is_valid():
            device, error = security.verify_code(request.user, form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                security.audit_sign_in(request, "second_factor", actor=request.user, device=device.model_label())
                if security.is_recovery_device(device):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _("You used a recovery code: %(count)s left. Make new ones on your account page.")
                        % {"count": left},
                    )
                return HttpResponseRedirect(safe_next(request, reverse("home:home")))
            security.audit_sign_in(request, "second_factor_failure", actor=request.user)
            form.add_error("token", error)
        return self._render(form, status=422)

    def _render(self, form, status=200):
        if not security.has_device(self.request.user):
            self.request.session[security.HAS_DEVICE] = False
            return HttpResponseRedirect(reverse("accounts:enrol"))
        context = {"form": form, "next": safe_next(self.request, ""), "title": _("Two-factor sign-in")}
        return TemplateResponse(self.request, self.template_name, context, status=status)


class EnrolView(View):
    """Set up the authenticator app: scan the QR code (or type the key), confirm with one code; the recovery codes
    are then shown once."""

    template_name = "accounts/enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if security.has_device(request.user) and not request.user.is_verified():
            return HttpResponseRedirect(reverse("accounts:verify"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(OTPTokenForm())

    def post(self, request):
        form = OTPTokenForm(request.POST)
        device = security.pending_totp_device(request.user)
        if form.is_valid():
            allowed, _detail = device.verify_is_allowed()
            if allowed and device.verify_token(form.cleaned_data["token"]):
                codes = security.confirm_enrolment(request, device)
                security.audit_sign_in(request, "second_factor", actor=request.user, enrolled=True)
                messages.success(request, _("Two-factor sign-in is on."))
                return self._codes(codes)
            form.add_error(
                "token",
                _("This code is not the one your app shows: check the clock of your phone.")
                if allowed
                else _("Too many wrong codes: wait a few seconds, then try again."),
            )
        return self._render(form, status=422)

    def _codes(self, codes):
        context = {"codes": codes, "next": safe_next(self.request, reverse("home:home")), "title": _("Recovery codes")}
        return TemplateResponse(self.request, "accounts/recovery_codes.html", context)

    def _render(self, form, status=200):
        device = security.pending_totp_device(self.request.user)
        context = {
            "form": form,
            "qr_code": security.qr_data_uri(device.config_url),
            "secret": security.readable_secret(device),
            "next": safe_next(self.request, ""),
            "required": security.second_factor_required(self.request.user),
            "replacing": security.has_device(self.request.user),
            "title": _("Set up two-factor sign-in"),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


@method_decorator(require_POST, name="dispatch")
class RecoveryCodesView(View):
    """New recovery codes (the old ones stop working); shown once."""

    def post(self, request):
        if not request.user.is_verified():
            raise PermissionDenied(_("Sign in with your second factor first."))
        codes = security.new_recovery_codes(request.user)
        security.audit_sign_in(request, "recovery_codes", actor=request.user)
        context = {"codes": codes, "next": reverse("accounts:profile"), "title": _("Recovery codes")}
        return TemplateResponse(request, "accounts/recovery_codes.html", context)


class ConfirmPasswordView(View):
    """Type the password again before a bulk export of personal data; then back to the export."""

    template_name = "accounts/confirm_password.html"

    def get(self, request):
        return self._render(ConfirmPasswordForm(request=request))

    def post(self, request):
        form = ConfirmPasswordForm(request.POST, request=request)
        if form.is_valid():
            request.session[security.AUTHENTICATED_AT] = security.now_ts()
            security.audit_sign_in(request, "password_confirmed", actor=request.user)
            return HttpResponseRedirect(safe_next(request, reverse("home:home")))
        return self._render(form, status=422)

    def _render(self, form, status=200):
        context = {"form": form, "next": safe_next(self.request, ""), "title": _("Confirm your password")}
        return TemplateResponse(self.request, self.template_name, context, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = StyledPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        target = User.objects.filter(email=email).first()
        security.audit_sign_in(self.request, "password_reset_requested", target=target, username=email)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = StyledSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        security.unlock(form.user)
        security.audit_sign_in(self.request, "password_reset", target=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


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
        context = {
            "form": form,
            "roles": roles,
            "title": _("My account"),
            "two_factor": security.has_device(self.request.user),
            "two_factor_required": security.second_factor_required(self.request.user),
            "recovery_left": security.recovery_codes_left(self.request.user),
        }
        return self.render("accounts/profile.html", context, status)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("home:home")

    def get_success_url(self):
        return safe_next(self.request, str(self.success_url))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next(self.request, "")
        context["first_password"] = self.request.user.must_change_password
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[security.AUTHENTICATED_AT] = security.now_ts()
        messages.success(self.request, _("Your password has been changed."))
        return response


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
        can_change = policy_for(User).can(scope, CHANGE, user)
        return {
            "locked": can_change and security.is_locked(user),
            "two_factor": security.has_device(user),
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
class UnlockView(ScopedMixin, View):
    """An administrator lifts the lockout of an account after too many failed sign-ins."""

    model = User

    def post(self, request, public_id):
        user = get_object_or_404(User.objects.visible_to(request.user), public_id=public_id)
        if not self.policy().can(self.scope, CHANGE, user):
            raise PermissionDenied(_("Only network administrators unlock accounts."))
        security.unlock(user)
        security.audit_sign_in(request, "unlocked", actor=request.user, target=user, username=user.email)
        messages.success(request, _("%(user)s can sign in again.") % {"user": user})
        return HttpResponseRedirect(reverse("accounts:user_detail", args=[user.public_id]))


@method_decorator(require_POST, name="dispatch")
class RemoveSecondFactorView(ScopedMixin, View):
    """An administrator removes the authenticator app and recovery codes of a user who lost them; the user sets up
    a new app at their next sign-in."""

    model = User

    def post(self, request, public_id):
        user = get_object_or_404(User.objects.visible_to(request.user), public_id=public_id)
        if not self.policy().can(self.scope, CHANGE, user):
            raise PermissionDenied(_("Only network administrators remove a second factor."))
        security.remove_devices(user)
        security.audit_sign_in(request, "second_factor_removed", actor=request.user, target=user, username=user.email)
        messages.success(request, _("The authenticator app of %(user)s is removed.") % {"user": user})
        return HttpResponseRedirect(reverse("accounts:user_detail", args=[user.public_id]))


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
