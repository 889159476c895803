from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from civicdesk.organization.models import Branch, RoleAssignment, Staff, Unit


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "opened_on"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["branch", "code", "name_zh", "kind", "is_active"]
    list_filter = ["branch", "kind", "is_active"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "branch", "unit", "is_active"]
    list_filter = ["branch", "is_active"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Civic Desk", {"fields": ("full_name", "branch", "unit", "title", "extension")}),
    )
