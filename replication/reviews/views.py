from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from .forms import ReviewForm
from .models import Review
from .related import attach_related


def review_detail(request, pk):
    """One review, read from a replica, with its product and author."""
    [review] = attach_related([get_object_or_404(Review, pk=pk)])
    return render(request, "reviews/review_detail.html", {"review": review})


async def review_json(request, pk):
    """One review as JSON, from an async view. The async ORM runs each query in a
    thread with a copy of this request's context, so the router sees its pin: after a
    write, this client reads the primary here too (tests/test_async.py)."""
    try:
        review = await Review.objects.aget(pk=pk)
    except Review.DoesNotExist:
        raise Http404(f"No review {pk}.") from None
    fields = ("id", "product_id", "author_id", "rating", "text")
    return JsonResponse({field: getattr(review, field) for field in fields})


@login_required
def review_create(request):
    """Write a review; the router stores it on the primary and pins this client there."""
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, initial={"product_id": request.GET.get("product")})
    if form.is_valid():
        form.instance.author_id = request.user.pk
        review = form.save()
        messages.success(request, f"Thank you! Your review was saved as review {review.pk}.")
        return redirect("products:detail", pk=review.product_id)
    return render(request, "reviews/review_form.html", {"form": form})
