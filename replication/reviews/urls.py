from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("new/", views.review_create, name="create"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>.json", views.review_json, name="json"),
]
