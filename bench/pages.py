"""Figure 1: the queries a page runs do not grow with the data.

Every page of a pattern is fetched with Django's test client, through the whole
middleware stack, and the statements each alias runs are counted. The baseline is
the same pages over 10 reviews: a page whose count grows with the data has a query in
a loop (an N+1), and a page that gets slower as the shop grows.
"""

from contextlib import ExitStack

from django.contrib.auth import get_user_model
from django.test import Client

from .timing import row


def count_queries(function):
    """{alias: statements} that one call of `function` ran, as the database panel logs them."""
    from django.db import connections

    from common.db_panel import QueryLog

    log = QueryLog()
    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(log))
        function()
    return {alias: len(statements) for alias, statements in log.statements.items() if statements}


def client():
    """A client logged in as the shop's admin, for the pages behind a login."""
    browser = Client(SERVER_NAME="localhost")
    browser.force_login(get_user_model().objects.get(username="admin"))
    return browser


def site_pages(review):
    """The pages every pattern has, {page: url}, around one review and its product."""
    return {
        "product list": "/",
        "product page": f"/products/{review.product_id}/",
        "a review": f"/reviews/{review.pk}/",
        "review form": f"/reviews/new/?product={review.product_id}",
        "admin reviews": "/admin/reviews/review/",
    }


def queries_per_page(urls):
    """{page: {alias: statements}} for {page: url}; a page that does not answer 200 is an error."""
    browser, counts = client(), {}
    for page, url in urls.items():
        response = None

        def fetch(url=url):
            nonlocal response
            response = browser.get(url)

        counts[page] = count_queries(fetch)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return counts


def figure_1(pattern, small, large, small_n, large_n):
    """One row: every page at `large_n` reviews against the same page at `small_n`."""
    grown = [
        f"{page} {alias}: {small[page].get(alias, 0)} → {large[page].get(alias, 0)}"
        for page in small
        for alias in sorted(small[page].keys() | large[page].keys())
        if small[page].get(alias, 0) != large[page].get(alias, 0)
    ]
    before = sum(sum(page.values()) for page in small.values())
    after = sum(sum(page.values()) for page in large.values())
    return row(
        "1",
        pattern,
        f"queries on {len(small)} pages, {large_n:,} vs {small_n:,} reviews",
        f"{before} queries",
        f"{after} queries",
        after / before,
        "= 1x, per page and alias",
        1.0,
        not grown,
        "; ".join(grown),
    )
