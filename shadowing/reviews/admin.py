from django.contrib import admin

from shop.admin import ShadowAdmin

from .forms import ReviewAdminForm
from .models import Review


@admin.register(Review)
class ReviewAdmin(ShadowAdmin):
    # No `using` here: the router sends every write to "default", and the overlay
    # merges every read.
    form = ReviewAdminForm
