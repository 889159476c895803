from django.urls import URLPattern, URLResolver, path

from civicdesk.applications import views, views_staff

app_name = "applications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("services/", views.catalogue, name="catalogue"),
    path("services/<slug:code>/", views.service_detail, name="service"),
    path("services/<slug:code>/apply/", views.apply, name="apply"),
    path("citizen/sign-in/", views.sign_in, name="sign-in"),
    path("citizen/sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("citizen/sign-in/gateway/", views.sign_in_gateway, name="sign-in-gateway"),
    path("citizen/sign-in/gateway/callback/", views.sign_in_gateway_callback, name="sign-in-gateway-callback"),
    path("citizen/sign-out/", views.sign_out, name="sign-out"),
    path("citizen/applications/", views.mine, name="mine"),
    path("applications/<str:reference>/", views.receipt, name="receipt"),
    path("applications/<str:reference>/receipt.pdf", views.receipt_download, name="receipt-pdf"),
    path("applications/<str:reference>/correction/", views.correction, name="correction"),
    path("documents/<str:token>/", views.document_download, name="document"),
    path("track/", views.track, name="track"),
    path("staff/applications/", views_staff.queue, name="queue"),
    path("staff/applications/counter/", views_staff.counter, name="counter"),
    path("staff/applications/catalogue/", views_staff.catalogue_list, name="staff-catalogue"),
    path("staff/applications/catalogue/<slug:code>/", views_staff.catalogue_edit, name="staff-catalogue-edit"),
    path("staff/applications/counter/<slug:code>/", views_staff.counter_apply, name="counter-apply"),
    path("staff/applications/<str:reference>/", views_staff.detail, name="staff-detail"),
    path("staff/applications/<str:reference>/<slug:name>/", views_staff.action, name="staff-action"),
]
