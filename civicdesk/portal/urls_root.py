"""Language-neutral addresses at the site root: sitemap.xml and robots.txt."""

from django.urls import URLPattern, path

from civicdesk.portal import views

urlpatterns: list[URLPattern] = [
    path("sitemap.xml", views.sitemap, name="portal-sitemap"),
    path("robots.txt", views.robots, name="portal-robots"),
]
