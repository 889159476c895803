from django.urls import URLPattern, URLResolver, path

from civicdesk.portal import feeds, views, views_staff

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    # Public pages.
    path("info/", views.info_index, name="info"),
    path("info/<slug:slug>/", views.page_detail, name="page"),
    path("news/", views.news_list, name="news"),
    path("news/feed.rss", feeds.NewsRssFeed(), name="news-rss"),
    path("news/feed.atom", feeds.NewsAtomFeed(), name="news-atom"),
    path("publications/", views.document_list, name="documents"),
    path("publications/<int:pk>/", views.document_detail, name="document"),
    path("publications/<int:pk>/download/", views.document_download, name="document-download"),
    path("faq/", views.faq_list, name="faq"),
    path("faq/<int:pk>/", views.faq_detail, name="faq-detail"),
    path("faq/<int:pk>/helpful/", views.faq_helpful, name="faq-helpful"),
    path("search/", views.search_page, name="search"),
    path("browse/<str:scheme>/", views.browse_page, name="browse"),
    # Staff pages.
    path("staff/portal/pages/", views_staff.page_list, name="staff-pages"),
    path("staff/portal/pages/new/", views_staff.page_new, name="staff-page-new"),
    path("staff/portal/pages/<int:pk>/", views_staff.page_manage, name="staff-page"),
    path("staff/portal/pages/<int:pk>/edit/", views_staff.page_edit, name="staff-page-edit"),
    path("staff/portal/revisions/<int:pk>/preview/", views_staff.revision_preview, name="staff-revision-preview"),
    path("staff/portal/revisions/<int:pk>/<str:action>/", views_staff.revision_action, name="staff-revision-action"),
    path("staff/portal/documents/", views_staff.document_list, name="staff-documents"),
    path("staff/portal/faq/", views_staff.faq_list, name="staff-faq"),
    path("staff/portal/faq/new/", views_staff.faq_edit, name="staff-faq-new"),
    path("staff/portal/faq/<int:pk>/", views_staff.faq_edit, name="staff-faq-edit"),
    path("staff/portal/parity/", views_staff.parity, name="staff-parity"),
    path("staff/portal/links/", views_staff.links, name="staff-links"),
]
