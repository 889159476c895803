from django.urls import path

from civicdesk.audit import views

app_name = "audit"

urlpatterns = [
    path("ledgers/", views.ledgers, name="ledgers"),
    path("access-log/", views.access_log, name="access-log"),
]
