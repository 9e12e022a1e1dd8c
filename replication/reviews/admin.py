from django.contrib import admin
from django.contrib.admin.views.main import ChangeList

from .forms import ReviewAdminForm
from .models import Review
from .related import attach_related


class ReviewChangeList(ChangeList):
    def get_results(self, request):
        """Fetch each page's products and authors in one query each."""
        super().get_results(request)
        self.result_list = attach_related(self.result_list)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    # No `using` here: the admin site reads and writes the primary only (shop/admin.py),
    # list, save, delete and bulk delete alike.
    form = ReviewAdminForm
    list_display = ["pk", "product", "author", "rating", "created"]
    list_filter = ["rating"]
    date_hierarchy = "created"

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList

    @admin.display(description="product")
    def product(self, review):
        return review.product or f"deleted product {review.product_id}"

    @admin.display(description="author")
    def author(self, review):
        return review.author or f"deleted user {review.author_id}"
