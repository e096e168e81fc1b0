import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.access.roles import NETWORK_OPTIONAL_ROLES, ORGANISATION_ROLES, Role
from moulin.core.fields import PhoneField
from moulin.core.models import TimeStampedModel


class UserQuerySet(ScopedQuerySet):
    policy_name = "moulin.accounts.policies.UserPolicy"


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in to Moulin. The email address is the login."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = PhoneField(_("phone"))
    language = models.CharField(
        _("interface language"),
        max_length=5,
        choices=[("en", "English"), ("fr", "Français"), ("de", "Deutsch")],
        default="en",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    must_change_password = models.BooleanField(
        _("must choose a new password"),
        default=False,
        help_text=_("Set when an administrator chose the password: the user picks their own at the next sign-in."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["full_name", "id"], name="user_sort")]  # the list's default sort

    def __str__(self) -> str:
        return self.full_name or self.email

    breadcrumb_list = (_("Users and roles"), "accounts:user_list")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:user_detail", args=[self.public_id])

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def scope(self):
        from moulin.access.scope import scope_for

        return scope_for(self)


class RoleAssignmentQuerySet(ScopedQuerySet):
    policy_name = "moulin.accounts.policies.RoleAssignmentPolicy"

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))


class RoleAssignment(TimeStampedModel):
    """One role a user holds, with what it reaches: an organisation, a commune, or the whole network."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("commune"),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_role_per_organisation",
                violation_error_message=_("This user already holds this role there."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "commune"],
                condition=Q(commune__isnull=False),
                name="unique_role_per_commune",
                violation_error_message=_("This user already holds this role there."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(organisation__isnull=True, commune__isnull=True),
                name="unique_network_role",
                violation_error_message=_("This user already holds this role there."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.COMMUNE_OFFICER) | Q(commune__isnull=False),
                name="commune_officer_has_commune",
                violation_error_message=_("A commune officer needs a commune."),
            ),
        ]

    def __str__(self) -> str:
        where = self.organisation or self.commune or _("whole network")
        return f"{self.get_role_display()} — {where}"

    def clean(self) -> None:
        errors = {}
        if self.role == Role.COMMUNE_OFFICER and not self.commune_id:
            errors["commune"] = _("A commune officer needs a commune.")
        if self.role != Role.COMMUNE_OFFICER and self.commune_id:
            errors["commune"] = _("Only commune officers are attached to a commune.")
        if self.role in ORGANISATION_ROLES - NETWORK_OPTIONAL_ROLES and not self.organisation_id:
            errors["organisation"] = _("This role needs an organisation.")
        if self.role not in ORGANISATION_ROLES and self.organisation_id:
            errors["organisation"] = _("This role covers the whole network or a commune, not an organisation.")
        if errors:
            raise ValidationError(errors)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(ScopedQuerySet):
    policy_name = "moulin.accounts.policies.RoleAssignmentPolicy"

    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """An integration authenticates as one user and sees exactly that user's scope."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """Create a token; the clear key is returned once and never stored."""
        key = "mln_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[4:12], key_hash=hash_key(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str):
        token = cls.objects.active().select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user
