from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("products.urls")),
    path("reviews/", include("reviews.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
