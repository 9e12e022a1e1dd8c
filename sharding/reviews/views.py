from datetime import UTC, datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from common.db_errors import failed_alias
from common.db_panel import note
from shop.down_shards import reach
from shop.sharding import BucketMoving

from .coordinator import fan_out
from .forms import ReviewForm
from .models import Review
from .related import attach_related
from .shards import latest_page


def review_detail(request, pk):
    """One review, from the one shard its id points to."""
    reviews = Review.objects.for_id(pk)
    reach(reviews.db)  # refused at once if remembered down: the 503 page names it
    [review] = attach_related([get_object_or_404(reviews)])
    context = {"review": review, "shard": review._state.db}
    return render(request, "reviews/review_detail.html", context)


def cursor_of(review):
    """The review's place in the list, for a link: its time to the microsecond, in UTC,
    then its id. Both, so that a page costs each shard one query; the id alone would
    need its shard to be asked for its time first."""
    return f"{review.created.astimezone(UTC).isoformat()}~{review.pk}"


def parse_cursor(text):
    """(created, id) from cursor_of's text; anything else is a page that does not exist."""
    created, _, pk = text.rpartition("~")
    try:
        created, pk = datetime.fromisoformat(created), int(pk)
        if created.tzinfo is not None and 0 < pk < 2**63:  # naive: in which zone?
            return created.astimezone(UTC), pk
    except (ValueError, OverflowError):  # the latter: beyond the years 1 to 9999 in UTC
        pass
    raise Http404("Not a place in the list of reviews.")


def link(**cursor):
    return f"{reverse('reviews:latest')}?{urlencode(cursor)}"


def latest(request):
    """The newest reviews of every product, 20 at a time: each shard's newest after the
    last review shown, merged in order. No page numbers, and no count: page N would
    cost every shard N pages, and the count a third of every shard."""
    if "page" in request.GET:  # links from when the pages had numbers
        if request.GET["page"] != "1":
            messages.info(request, "Pages are no longer numbered: here are the newest reviews.")
        return redirect("reviews:latest", permanent=request.GET["page"] == "1")
    if {"older", "newer"} <= request.GET.keys():
        raise Http404("A page is older or newer than one review, not both.")
    cursors = {
        way: parse_cursor(request.GET[way]) for way in ["older", "newer"] if way in request.GET
    }
    fanout = fan_out()
    page = latest_page(fanout, **cursors)
    page.reviews = attach_related(page.reviews)
    context = {
        "page": page,
        "newest_url": reverse("reviews:latest") if cursors else None,
        "newer_url": link(newer=cursor_of(page.reviews[0])) if page.has_newer else None,
        "older_url": link(older=cursor_of(page.reviews[-1])) if page.has_older else None,
        "banners": fanout.banners,
    }
    return render(request, "reviews/latest.html", context)


def save_review(form):
    """Save the form's review; on failure, say why on the form. Nothing is half-written:
    at worst the id's ticket is used up, a gap in the ids."""
    try:
        return form.save()
    except BucketMoving as error:
        form.add_error(None, f"Your review was not saved. {error}")
    except DatabaseError as error:
        # The shard, or "tickets", which every new review needs first.
        alias = failed_alias(error) or Review.objects.for_product(form.instance.product_id).db
        note(alias, f"failed: {error}", state="failed")
        form.add_error(None, f"Your review was not saved: {alias} is not available ({error}).")
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
