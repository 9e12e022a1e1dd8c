from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, render
from django.utils.connection import ConnectionDoesNotExist

from common.db_panel import note
from reviews.coordinator import fan_out, product_reviews
from reviews.related import attach_related
from reviews.shards import stats_by_product
from shop.down_shards import reach

from .models import Product

REVIEWS_PER_PAGE = 20


def product_list(request):
    """Every product with its review count and average: one query per shard, added up."""
    products = list(Product.objects.all())
    fanout = fan_out()
    stats = stats_by_product(fanout)
    for product in products:
        if fanout.left_out(product.pk):
            product.stats = {"count": None, "average": None}  # unknown, shown as such
        else:
            product.stats = stats.get(product.pk, {"count": 0, "average": None})
    context = {"products": products, "banners": fanout.banners}
    return render(request, "products/product_list.html", context)


def product_detail(request, pk):
    """A product and one page of its reviews: every one of them is on a single shard."""
    product = get_object_or_404(Product, pk=pk)
    reviews = product_reviews(product.pk)
    try:
        reach(reviews.db)  # refused at once if remembered down
        page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = attach_related(page.object_list, products=[product])
        banners = []
    except (DatabaseError, ConnectionDoesNotExist) as error:
        note(reviews.db, f"{reviews.db} is not available ({error})", state="missing")
        page = None  # no count and no empty list: the reviews are there, out of reach
        banners = [f"{reviews.db} is not available: the reviews of {product} cannot be shown."]
    context = {"product": product, "page": page, "read_from": reviews.db, "banners": banners}
    return render(request, "products/product_detail.html", context)
