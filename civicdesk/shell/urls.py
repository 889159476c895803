from django.urls import path

from civicdesk.shell import views

app_name = "shell"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/sign-in/", views.staff_login, name="staff-login"),
    path("staff/sign-out/", views.staff_logout, name="staff-logout"),
    path("staff/two-step/", views.staff_two_factor, name="staff-two-factor"),
]
