"""The test site's pages: a list that reads "other", a form that writes there and
redirects, and the URL names the shared base template links to."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connections
from django.shortcuts import redirect, render
from django.urls import include, path
from django.views.decorators.http import require_POST

from common.db_errors import Unavailable
from common.db_panel import note


def groups(request):
    """Every group in "other", by name, as the shop's pages list their rows."""
    names = Group.objects.using("other").order_by("name").values_list("name", flat=True)
    return render(request, "common/tests/groups.html", {"names": list(names)})


@require_POST
def add_group(request):
    """Write a group to "other", then redirect, as every form of the patterns does."""
    Group.objects.using("other").create(name=request.POST["name"])
    return redirect("products:list")


def noted(request):
    """A page whose view says why it skipped "other", as a router would."""
    note("other", "skipped: its copy is 31.5 s old", state="skipped")
    return groups(request)


def failing(request):
    """A page whose "other" database fails: the 503 page, with the panel."""
    with connections["other"].cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


class OtherGone(Unavailable):
    """What a project raises for a database it found unusable before any query."""

    alias = "other"


def gone(request):
    """A page whose code finds "other" unusable itself: the 503 page, naming it."""
    raise OtherGone("other is not there: its file was never made")


urlpatterns = [
    path("", include(([path("", groups, name="list")], "products"))),
    path("add/", include(([path("", add_group, name="create")], "reviews"))),
    path("noted/", noted),
    path("failing/", failing),
    path("gone/", gone),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
