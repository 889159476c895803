"""URL map. Public and staff pages are translated (zh-Hant at /, English at /en/)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from civicdesk.api.root import api
from civicdesk.applications.api import direct_track_view
from civicdesk.shell import views as shell_views

if settings.STAFF_OTP_REQUIRED:
    # The admin then demands the same second factor as the back office.
    admin.site.__class__ = OTPAdminSite

api_urls = path("api/v1/", api.urls)

urlpatterns = [
    path("healthz", shell_views.healthz, name="healthz"),
    # The public progress query, the API's busiest path, answered ahead of the API's own URL patterns; what that view
    # does not answer goes to the API's operation at the same path (docs/adr/0014-direct-progress-query-path.md).
    path("api/v1/track", direct_track_view(api_urls.resolve("api/v1/track").func)),
    api_urls,
    # portal app (issue 6): sitemap.xml and robots.txt live at the site root, outside the languages.
    path("", include("civicdesk.portal.urls_root")),
]
urlpatterns += i18n_patterns(
    path("", include("civicdesk.shell.urls")),
    path("staff/organization/", include("civicdesk.organization.urls")),
    path("staff/audit/", include("civicdesk.audit.urls")),
    path("", include("civicdesk.notifications.urls")),
    path("", include("civicdesk.cases.urls")),
    path("", include("civicdesk.applications.urls")),
    path("", include("civicdesk.plan.urls")),
    path("", include("civicdesk.portal.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler404 = "civicdesk.shell.views.page_not_found"
handler500 = "civicdesk.shell.views.server_error"
