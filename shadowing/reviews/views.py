from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from shop.reading import snapshot_missing

from .forms import ReviewForm
from .models import Review
from .related import attach_related


def review_detail(request, pk):
    """One review, with its product (merged view) and its author (on "default")."""
    [review] = attach_related([get_object_or_404(Review, pk=pk)])
    # A product not found may be in the snapshot rather than deleted.
    context = {"review": review, "snapshot_missing": snapshot_missing()}
    return render(request, "reviews/review_detail.html", context)


@login_required
def review_create(request):
    """Write a review: it is saved on "default", with a key from the local range."""
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, initial={"product_id": request.GET.get("product")})
    if form.is_valid():
        form.instance.author_id = request.user.pk
        review = form.save()
        messages.success(request, f"Thank you! Your review was saved as review {review.pk}.")
        return redirect("products:detail", pk=review.product_id)
    return render(request, "reviews/review_form.html", {"form": form})
