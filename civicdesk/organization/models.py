"""Branches (分署), their units (科室, 股) and staff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.core.i18n import bilingual
from civicdesk.organization.permissions import ROLE_LABELS, Permission, Role, permissions_for_roles

if TYPE_CHECKING:
    from django.db.models import QuerySet


class BilingualNameMixin(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_zh, self.name_en)


class Branch(BilingualNameMixin):
    """One of the Administrative Enforcement Agency's 13 branches."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    opening_hours_zh = models.CharField(_("opening hours (Chinese)"), max_length=200, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=200, blank=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    @property
    def address(self) -> str:
        return bilingual(self.address_zh, self.address_en)

    @property
    def opening_hours(self) -> str:
        return bilingual(self.opening_hours_zh, self.opening_hours_en)


class BranchScopedQuerySet(models.QuerySet[Any]):
    """Records that belong to a branch; staff see their own branch's unless a role allows all."""

    def visible_to(self, staff: Staff) -> BranchScopedQuerySet:
        if staff.has_permission(Permission.ORG_BRANCH_VIEW_ALL):
            return self
        if staff.branch_id is None:
            return self.none()
        return self.filter(branch_id=staff.branch_id)


class Unit(BilingualNameMixin):
    """An office, division, subdivision (股) or team of a branch."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        ETHICS = "ethics", _("Ethics office")
        STATISTICS = "statistics", _("Statistics office")
        PERSONNEL = "personnel", _("Personnel office")
        DIVISION = "division", _("Enforcement division")
        SUBDIVISION = "subdivision", _("Subdivision")
        TEAM = "team", _("Team")

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="units", verbose_name=_("branch"))
    code = models.CharField(_("code"), max_length=16)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "ordering", "code"]
        constraints = [models.UniqueConstraint(fields=["branch", "code"], name="unit_code_unique_per_branch")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")


class StaffManager(UserManager["Staff"]):
    def get_queryset(self) -> QuerySet[Staff]:
        return BranchScopedQuerySet(self.model, using=self._db)

    def visible_to(self, staff: Staff) -> BranchScopedQuerySet:
        return BranchScopedQuerySet(self.model, using=self._db).visible_to(staff)


class Staff(AbstractUser):
    """A member of staff who signs in to the back office. Citizens are not Staff."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("branch")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("unit")
    )
    title = models.CharField(_("job title"), max_length=100, blank=True)
    extension = models.CharField(_("telephone extension"), max_length=10, blank=True)

    objects = StaffManager()  # type: ignore[misc]

    class Meta:
        ordering = ["branch", "unit", "username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def roles(self) -> frozenset[Role]:
        cached: frozenset[Role] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(Role(code) for code in self.role_assignments.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    @property
    def permissions(self) -> frozenset[Permission]:
        if not self.is_active:
            return frozenset()
        return permissions_for_roles(self.roles)

    def has_permission(self, permission: Permission | str) -> bool:
        return Permission(permission) in self.permissions


class RoleAssignment(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=40, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "role"], name="role_assignment_unique")]
        verbose_name = _("role assignment")

    def __str__(self) -> str:
        return f"{self.staff} – {self.role}"
