from django.contrib import admin

from .models import OnlineMove


@admin.register(OnlineMove)
class OnlineMoveAdmin(admin.ModelAdmin):
    """The online moves in flight, read only: `reshard` writes them, and resumes them."""

    list_display = ["bucket", "source", "target", "state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
