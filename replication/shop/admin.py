from functools import wraps

from django.contrib import admin

from .pinning import use_primary


class PrimaryAdminSite(admin.AdminSite):
    """Django's admin on the primary only: an editor must never edit a stale copy."""

    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def on_the_primary(request, *args, **kwargs):
            with use_primary():
                response = view(request, *args, **kwargs)
                # The admin's pages are TemplateResponses, whose templates run queries
                # after the view returns: render them here, still on the primary.
                if hasattr(response, "render"):
                    response.render()
                return response

        return super().admin_view(on_the_primary, cacheable)
