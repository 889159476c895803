from django.urls import URLPattern, URLResolver, path

from civicdesk.notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/outbox/", views.outbox, name="outbox"),
]
