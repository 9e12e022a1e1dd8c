from django.contrib import admin
from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from .local_changes import reset
from .shadow import mode_of


class ShadowAdmin(admin.ModelAdmin):
    """The merged view, each row tagged with its origin.

    The admin's ChangeList builds SQL on one database, which cannot merge two, so the
    list is a page of the overlay itself. Editing a snapshot row saves a local copy
    (the router sends every write to "default"); deleting one leaves a tombstone.
    """

    change_list_template = "shop/change_list.html"
    actions = ["reset_to_snapshot"]
    list_per_page = 20

    def changelist_view(self, request, extra_context=None):
        queryset = self.get_queryset(request)
        # Only the actions of this class: the admin's bulk delete builds its
        # confirmation page with SQL on one database, which cannot merge two.
        if request.method == "POST" and request.POST.get("action") in self.actions:
            response = self.response_action(request, queryset)
            if response is not None:
                return response
        page = Paginator(queryset, self.list_per_page).get_page(request.GET.get("p"))
        context = self.admin_site.each_context(request) | {
            "opts": self.model._meta,
            "title": f"{self.model._meta.verbose_name_plural.capitalize()}, merged",
            "mode": mode_of(self.model),
            "page": page,
            "action_choices": [
                (name, getattr(self, name).short_description) for name in self.actions
            ],
            "has_add_permission": self.has_add_permission(request),
        }
        return TemplateResponse(request, self.change_list_template, context | (extra_context or {}))

    @admin.action(description="Reset to snapshot (discard the local changes)")
    def reset_to_snapshot(self, request, queryset):
        rows, _ = reset(self.model, [row.pk for row in queryset])
        self.message_user(request, f"{rows} local row(s) discarded: the snapshot shows through.")

    def has_add_permission(self, request):
        return mode_of(self.model) != "snapshot" and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return mode_of(self.model) != "snapshot" and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return mode_of(self.model) != "snapshot" and super().has_delete_permission(request, obj)
