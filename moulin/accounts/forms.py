from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from moulin.access.roles import Role
from moulin.accounts.models import RoleAssignment, User
from moulin.core.forms import FilterForm, ModelForm, style_fields
from moulin.organisations.models import Organisation


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address")
        style_fields(self)

    def clean_username(self):
        return (self.cleaned_data.get("username") or "").strip().lower()


class ConfirmPasswordForm(forms.Form):
    """Type the password again (before a bulk export of personal data). Goes through ``authenticate``, so that
    failures count towards the lockout like those of the login page."""

    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autofocus": True}))

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_password(self):
        from django.contrib.auth import authenticate

        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.email, password=password) is None:
            raise forms.ValidationError(_("This is not your password."), code="invalid")
        return password


class OTPTokenForm(forms.Form):
    """A six-digit code of the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        help_text=_("The six digits shown by your authenticator app, or one of your recovery codes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").replace("-", "").strip()


class StyledPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        style_fields(self)


class StyledSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit)


class StyledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if self.user.must_change_password and password and self.user.check_password(password):
            self.add_error("new_password1", _("Choose a password different from the one your administrator set."))
        return cleaned

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit)


class ProfileForm(ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]


class UserForm(ModelForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_(
            "At least 10 characters. The user chooses their own password at their first sign-in. Leave empty when "
            "editing to keep the current password."
        ),
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "phone", "language", "is_active", "is_staff"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["password"].required = True
        self.fields["email"].error_messages["unique"] = _("A user with this email address already exists.")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
            user.must_change_password = True
        if commit:
            user.save()
        return user


class RoleAssignmentForm(ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "organisation", "commune", "valid_until"]
        widgets = {"valid_until": forms.DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].help_text = _(
            "For a manager, coach, team leader or board member. Leave empty for a network-wide coach."
        )
        self.fields["commune"].help_text = _("For a commune officer only.")


class UserFilterForm(FilterForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.order_by("name"))
    active = forms.ChoiceField(label=_("Status"), choices=[("yes", _("Active")), ("no", _("Inactive"))])

    def filter_role(self, qs, value):
        return qs.filter(role_assignments__role=value).distinct()

    def filter_organisation(self, qs, value):
        return qs.filter(role_assignments__organisation=value).distinct()

    def filter_active(self, qs, value):
        return qs.filter(is_active=(value == "yes"))
