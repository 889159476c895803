"""The one enumeration of permissions (`<scope>:<resource>:<action>`) and the role → permission map.

Roles are held by staff (see models.RoleAssignment); permissions are never granted one by one, so the
whole matrix can be read here and is tested as a table.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Permission(StrEnum):
    ORG_STAFF_VIEW = "organization:staff:view"
    ORG_STAFF_MANAGE = "organization:staff:manage"
    ORG_BRANCH_VIEW_ALL = "organization:branch:view_all"
    AUDIT_LEDGER_VIEW = "audit:ledger:view"
    AUDIT_LEDGER_VERIFY = "audit:ledger:verify"
    AUDIT_ACCESS_LOG_VIEW = "audit:access_log:view"
    CASES_CASE_VIEW = "cases:case:view"
    CASES_CASE_RECEIVE = "cases:case:receive"
    CASES_CASE_ASSIGN = "cases:case:assign"
    CASES_CASE_REASSIGN = "cases:case:reassign"
    CASES_OBLIGOR_LOOKUP = "cases:obligor:lookup"
    CASES_REGISTER_VIEW = "cases:register:view"
    CASES_WARNING_VIEW = "cases:warning:view"
    CASES_WARNING_RESOLVE = "cases:warning:resolve"
    APPLICATIONS_APPLICATION_VIEW = "applications:application:view"
    APPLICATIONS_APPLICATION_PROCESS = "applications:application:process"
    APPLICATIONS_CATALOGUE_EDIT = "applications:catalogue:edit"
    PLAN_PLAN_EDIT = "plan:plan:edit"
    PLAN_ACTIVITY_LOG = "plan:activity:log"
    PLAN_ASSESSMENT_SUBMIT = "plan:assessment:submit"
    PLAN_ASSESSMENT_REVIEW = "plan:assessment:review"
    PLAN_REPORT_EXPORT = "plan:report:export"
    PORTAL_PAGE_EDIT = "portal:page:edit"
    PORTAL_PAGE_PUBLISH = "portal:page:publish"
    SYSTEM_ADMIN_ACCESS = "system:admin:access"
    NOTIFICATIONS_OUTBOX_VIEW = "notifications:outbox:view"


class Role(StrEnum):
    ENFORCEMENT_OFFICER = "enforcement_officer"
    SUBDIVISION_CLERK = "subdivision_clerk"
    SECRETARIAT_OFFICER = "secretariat_officer"
    ETHICS_OFFICER = "ethics_officer"
    STATISTICS_OFFICER = "statistics_officer"
    PERSONNEL_OFFICER = "personnel_officer"
    WEB_EDITOR = "web_editor"
    UNIT_HEAD = "unit_head"
    ASSESSMENT_GROUP_MEMBER = "assessment_group_member"
    HEADQUARTERS_AUDITOR = "headquarters_auditor"
    SYSTEM_ADMINISTRATOR = "system_administrator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ENFORCEMENT_OFFICER: _("Enforcement officer"),
    Role.SUBDIVISION_CLERK: _("Subdivision clerk"),
    Role.SECRETARIAT_OFFICER: _("Secretariat officer"),
    Role.ETHICS_OFFICER: _("Ethics officer"),
    Role.STATISTICS_OFFICER: _("Statistics officer"),
    Role.PERSONNEL_OFFICER: _("Personnel officer"),
    Role.WEB_EDITOR: _("Website editor"),
    Role.UNIT_HEAD: _("Unit head"),
    Role.ASSESSMENT_GROUP_MEMBER: _("Assessment-group member"),
    Role.HEADQUARTERS_AUDITOR: _("Headquarters auditor"),
    Role.SYSTEM_ADMINISTRATOR: _("System administrator"),
}

P = Permission
_CASEWORK = {P.CASES_CASE_VIEW, P.CASES_REGISTER_VIEW, P.CASES_WARNING_VIEW, P.ORG_STAFF_VIEW}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ENFORCEMENT_OFFICER: frozenset(
        _CASEWORK
        | {
            P.CASES_OBLIGOR_LOOKUP,
            P.CASES_WARNING_RESOLVE,
            P.APPLICATIONS_APPLICATION_VIEW,
            P.APPLICATIONS_APPLICATION_PROCESS,
            P.PLAN_ACTIVITY_LOG,
        }
    ),
    Role.SUBDIVISION_CLERK: frozenset(
        _CASEWORK
        | {
            P.CASES_CASE_RECEIVE,
            P.CASES_OBLIGOR_LOOKUP,
            P.APPLICATIONS_APPLICATION_VIEW,
            P.APPLICATIONS_APPLICATION_PROCESS,
        }
    ),
    Role.SECRETARIAT_OFFICER: frozenset(
        _CASEWORK
        | {
            P.CASES_CASE_RECEIVE,
            P.CASES_CASE_ASSIGN,
            P.CASES_CASE_REASSIGN,
            P.CASES_WARNING_RESOLVE,
            P.APPLICATIONS_APPLICATION_VIEW,
            P.APPLICATIONS_APPLICATION_PROCESS,
            P.APPLICATIONS_CATALOGUE_EDIT,
            P.PLAN_PLAN_EDIT,
            P.PLAN_ACTIVITY_LOG,
            P.PLAN_REPORT_EXPORT,
            P.PORTAL_PAGE_EDIT,
            P.PORTAL_PAGE_PUBLISH,
            P.AUDIT_LEDGER_VIEW,
            P.NOTIFICATIONS_OUTBOX_VIEW,
        }
    ),
    Role.ETHICS_OFFICER: frozenset(
        {
            P.ORG_STAFF_VIEW,
            P.CASES_CASE_VIEW,
            P.CASES_REGISTER_VIEW,
            P.CASES_WARNING_VIEW,
            P.AUDIT_LEDGER_VIEW,
            P.AUDIT_LEDGER_VERIFY,
            P.AUDIT_ACCESS_LOG_VIEW,
            P.PLAN_ACTIVITY_LOG,
        }
    ),
    Role.STATISTICS_OFFICER: frozenset(
        {
            P.ORG_STAFF_VIEW,
            P.CASES_REGISTER_VIEW,
            P.CASES_WARNING_VIEW,
            P.PLAN_ACTIVITY_LOG,
            P.PLAN_REPORT_EXPORT,
            P.PORTAL_PAGE_EDIT,
        }
    ),
    Role.PERSONNEL_OFFICER: frozenset({P.ORG_STAFF_VIEW, P.ORG_STAFF_MANAGE, P.PLAN_ACTIVITY_LOG}),
    Role.WEB_EDITOR: frozenset({P.ORG_STAFF_VIEW, P.PORTAL_PAGE_EDIT, P.PORTAL_PAGE_PUBLISH}),
    Role.UNIT_HEAD: frozenset(
        _CASEWORK
        | {
            P.CASES_CASE_REASSIGN,
            P.CASES_WARNING_RESOLVE,
            P.APPLICATIONS_APPLICATION_VIEW,
            P.PLAN_ACTIVITY_LOG,
            P.PLAN_ASSESSMENT_SUBMIT,
            P.PLAN_REPORT_EXPORT,
        }
    ),
    Role.ASSESSMENT_GROUP_MEMBER: frozenset(
        {
            P.ORG_STAFF_VIEW,
            P.PLAN_PLAN_EDIT,
            P.PLAN_ASSESSMENT_REVIEW,
            P.PLAN_REPORT_EXPORT,
            P.CASES_REGISTER_VIEW,
            P.CASES_WARNING_VIEW,
        }
    ),
    Role.HEADQUARTERS_AUDITOR: frozenset(
        {
            P.ORG_STAFF_VIEW,
            P.ORG_BRANCH_VIEW_ALL,
            P.CASES_CASE_VIEW,
            P.CASES_REGISTER_VIEW,
            P.CASES_WARNING_VIEW,
            P.AUDIT_LEDGER_VIEW,
            P.AUDIT_LEDGER_VERIFY,
            P.PLAN_REPORT_EXPORT,
        }
    ),
    Role.SYSTEM_ADMINISTRATOR: frozenset(
        {
            P.ORG_STAFF_VIEW,
            P.ORG_STAFF_MANAGE,
            P.AUDIT_LEDGER_VIEW,
            P.AUDIT_LEDGER_VERIFY,
            P.SYSTEM_ADMIN_ACCESS,
            P.NOTIFICATIONS_OUTBOX_VIEW,
        }
    ),
}


def permissions_for_roles(roles: set[Role] | frozenset[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)
