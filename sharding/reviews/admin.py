from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db import transaction
from django.http import HttpResponseRedirect

from shop import bucket_map
from shop.sharding import BucketMoving, buckets_by_shard

from .forms import ReviewAdminForm
from .models import Review
from .related import attach_related


class ShardFilter(admin.SimpleListFilter):
    """Browse one shard at a time: the admin's list is one query on one database."""

    title = "shard"
    parameter_name = "shard"

    def lookups(self, request, model_admin):
        held = buckets_by_shard(bucket_map.layout(), settings.SHARDS)
        return [(shard, f"{shard} ({len(buckets)} buckets)") for shard, buckets in held.items()]

    def value(self):
        return super().value() or settings.SHARDS[0]

    def choices(self, changelist):
        return list(super().choices(changelist))[1:]  # no "All": that would be every shard

    def queryset(self, request, queryset):
        if self.value() not in settings.SHARDS:
            return queryset.none()
        buckets = [n for n, shard in bucket_map.layout().items() if shard == self.value()]
        return queryset.using(self.value()).filter(bucket__in=buckets)


class ReviewChangeList(ChangeList):
    def get_results(self, request):
        """Fetch each page's products and authors from "default" in one query each."""
        super().get_results(request)
        self.result_list = attach_related(self.result_list)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    # The list reads the shard the filter picks; one review is fetched from the shard
    # its id names; save() and delete() write to the shard of its bucket.
    form = ReviewAdminForm
    list_display = ["pk", "product", "author", "rating", "created", "bucket"]
    list_filter = [ShardFilter, "rating"]
    show_full_result_count = False  # a count of every shard at once is a fan-out

    def get_queryset(self, request):
        return super().get_queryset(request).using(settings.SHARDS[0])

    def get_object(self, request, object_id, from_field=None):
        try:
            return Review.objects.for_id(int(object_id)).first()
        except (ValueError, OverflowError):
            return None

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList

    def changeform_view(self, request, *args, **kwargs):
        return self.unless_moving(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self.unless_moving(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        view = super().changelist_view
        if request.method == "POST":  # "delete selected" logs, then deletes: one transaction
            view = transaction.atomic(view)
        return self.unless_moving(view, request, *args, **kwargs)

    def unless_moving(self, view, request, *args, **kwargs):
        """A write to a bucket `reshard` is moving: say so on the page, change nothing.

        The view's transaction on "default" rolls back, and the admin's log entry with it.
        """
        try:
            return view(request, *args, **kwargs)
        except BucketMoving as error:
            self.message_user(request, f"Nothing was changed. {error}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description="product")
    def product(self, review):
        return review.product or f"deleted product {review.product_id}"

    @admin.display(description="author")
    def author(self, review):
        return review.author or f"deleted user {review.author_id}"
