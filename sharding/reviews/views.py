from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render

from shop.sharding import BucketMoving

from .forms import ReviewForm
from .models import Review
from .related import attach_related
from .shards import FanOut, MergedReviews

REVIEWS_PER_PAGE = 20


def review_detail(request, pk):
    """One review, from the one shard its id points to."""
    [review] = attach_related([get_object_or_404(Review.objects.for_id(pk))])
    context = {"review": review, "shard": review._state.db}
    return render(request, "reviews/review_detail.html", context)


def latest(request):
    """The newest reviews of every product: each shard's newest, merged in order."""
    fanout = FanOut()
    page = Paginator(MergedReviews(fanout), REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = attach_related(page.object_list)
    context = {"page": page, "banners": fanout.banners}
    return render(request, "reviews/latest.html", context)


def save_review(form):
    """Save the form's review; on failure, say why on the form. Nothing is half-written:
    at worst the id's ticket is used up, a gap in the ids."""
    try:
        return form.save()
    except BucketMoving as error:
        form.add_error(None, f"Your review was not saved. {error}")
    except DatabaseError as error:
        shard = Review.objects.for_product(form.instance.product_id).db
        form.add_error(None, f"Your review was not saved: {shard} is not available ({error}).")
    return None


@login_required
def review_create(request):
    """Write a review: it gets a global id, then goes to its product's shard."""
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, initial={"product_id": request.GET.get("product")})
    if not form.is_valid():
        return render(request, "reviews/review_form.html", {"form": form})
    form.instance.author_id = request.user.pk
    review = save_review(form)
    if review is None:
        return render(request, "reviews/review_form.html", {"form": form}, status=503)
    saved = f"Thank you! Your review was saved as review {review.pk} on {review._state.db}."
    messages.success(request, saved)
    return redirect("products:detail", pk=review.product_id)
