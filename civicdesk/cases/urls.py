from django.urls import URLPattern, URLResolver, path

from civicdesk.cases import views

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/cases/", views.case_search, name="search"),
    path("staff/cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("staff/cases/<int:pk>/reassign/", views.case_reassign_view, name="case-reassign"),
    path("staff/cases/<int:pk>/stage/", views.case_stage_view, name="case-stage"),
    path("staff/cases/intake/", views.intake_upload, name="intake"),
    path("staff/cases/intake/<int:pk>/", views.import_run, name="import-run"),
    path("staff/cases/intake/<int:pk>/rejected.csv", views.import_run_rejected, name="import-run-rejected"),
    path("staff/cases/counter/", views.counter_intake, name="counter"),
    path("staff/cases/registers/receipt/", views.register_view, {"register": "receipt"}, name="register-receipt"),
    path(
        "staff/cases/registers/assignment/", views.register_view, {"register": "assignment"}, name="register-assignment"
    ),
    path("staff/cases/warnings/", views.warnings_dashboard, name="warnings"),
    path("staff/cases/warnings/<int:pk>/", views.warning_detail, name="warning-detail"),
]
