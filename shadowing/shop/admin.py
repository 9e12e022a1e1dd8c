from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
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
        """The merged rows, for a user who may view or change them, as Django's list is."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        # Only this class's actions: the admin's bulk delete builds its confirmation page
        # with SQL on one database, which cannot merge two. The admin itself refuses an
        # action the user lacks the allowed_permissions of ("No action selected.").
        if request.method == "POST" and request.POST.get("action") in self.actions:
            if forged := self.forged_key(request.POST.getlist(ACTION_CHECKBOX_NAME)):
                name = self.model._meta.verbose_name
                message = f"“{forged}” is not a {name} key: nothing was discarded."
                self.message_user(request, message, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            response = self.response_action(request, self.get_queryset(request))
            if response is not None:
                return response
        page = Paginator(self.get_queryset(request), self.list_per_page)
        # Django's blank choice first, as on its own list: the one action discards changes.
        actions = [
            (name, text)
            for name, text in self.get_action_choices(request)
            if name in ("", *self.actions)
        ]
        context = self.admin_site.each_context(request) | {
            "opts": self.model._meta,
            "title": f"{self.model._meta.verbose_name_plural.capitalize()}, merged",
            "mode": mode_of(self.model),
            "page": page.get_page(request.GET.get("p")),
            "action_choices": actions if len(actions) > 1 else [],
            "has_add_permission": self.has_add_permission(request),
        }
        return TemplateResponse(request, self.change_list_template, context | (extra_context or {}))

    def forged_key(self, keys):
        """The first selected key that the primary key field refuses, None if none is."""
        for key in keys:
            try:
                self.model._meta.pk.clean(key, None)
            except ValidationError:
                return key
        return None

    @admin.action(
        description="Reset to snapshot (discard the local changes)", permissions=["change"]
    )
    def reset_to_snapshot(self, request, queryset):
        rows, _ = reset(self.model, [row.pk for row in queryset])
        self.message_user(request, f"{rows} local row(s) discarded: the snapshot shows through.")

    def has_add_permission(self, request):
        return mode_of(self.model) != "snapshot" and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return mode_of(self.model) != "snapshot" and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return mode_of(self.model) != "snapshot" and super().has_delete_permission(request, obj)
