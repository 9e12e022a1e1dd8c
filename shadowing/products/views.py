from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from reviews.models import Review, stats_by_product
from reviews.related import attach_related

from .models import Product

REVIEWS_PER_PAGE = 20


def product_list(request):
    """Every product with its review count and average: merged from both databases."""
    products = list(Product.objects.all())
    stats = stats_by_product(Review.objects.all())
    for product in products:
        product.stats = stats.get(product.pk, {"count": 0, "average": None})
    return render(request, "products/product_list.html", {"products": products})


def product_detail(request, pk):
    """A product and one page of its reviews, authors' names included."""
    product = get_object_or_404(Product, pk=pk)
    reviews = Review.objects.filter(product_id=product.pk)
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = attach_related(page.object_list, products=[product])
    return render(request, "products/product_detail.html", {"product": product, "page": page})
