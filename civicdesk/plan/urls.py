from django.urls import URLPattern, URLResolver

app_name = "plan"

urlpatterns: list[URLPattern | URLResolver] = []
