from django.urls import URLPattern, URLResolver, path

from civicdesk.plan import views, views_assessments, views_group, views_reports

app_name = "plan"

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/plan/", views.dashboard, name="dashboard"),
    path("staff/plan/measures/<str:code>/", views.measure_detail, name="measure"),
    path("staff/plan/targets/<int:target_id>/records/", views.records, name="records"),
    path("staff/plan/activities/", views.activity_list, name="activities"),
    path("staff/plan/activities/new/", views.activity_new, name="activity-new"),
    path("staff/plan/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("staff/plan/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("staff/plan/proposals/", views.proposal_list, name="proposals"),
    path("staff/plan/proposals/new/", views.proposal_new, name="proposal-new"),
    path("staff/plan/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("staff/plan/plans/", views.plans, name="plans"),
    path("staff/plan/plans/<int:pk>/", views.plan_detail, name="plan"),
    path("staff/plan/plans/<int:pk>/document.<str:fmt>", views_reports.plan_document_download, name="plan-document"),
    path("staff/plan/plans/<int:pk>/measures/<str:code>/edit/", views.measure_edit, name="measure-edit"),
    path("staff/plan/assessments/", views_assessments.assessments, name="assessments"),
    path("staff/plan/assessments/review/", views_assessments.assessment_reviews, name="assessment-reviews"),
    path("staff/plan/assessments/<int:pk>/", views_assessments.assessment_detail, name="assessment"),
    path("staff/plan/group/", views_group.group, name="group"),
    path("staff/plan/group/meetings/new/", views_group.meeting_new, name="meeting-new"),
    path("staff/plan/group/meetings/<int:pk>/", views_group.meeting_detail, name="meeting"),
    path("staff/plan/escalations/new/", views_group.escalation_new, name="escalation-new"),
    path("staff/plan/escalations/<int:pk>/", views_group.escalation_detail, name="escalation"),
    path("staff/plan/reports/", views_reports.reports, name="reports"),
    path(
        "staff/plan/reports/<int:year>-Q<int:quarter>.<str:fmt>",
        views_reports.report_download,
        name="report-download",
    ),
]
