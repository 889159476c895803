from django.urls import path

from civicdesk.organization import views

app_name = "organization"

urlpatterns = [
    path("", views.directory, name="directory"),
]
