"""The consistency lab's scenarios: a client writes, then reads, under each strategy of
REPLICATION_READ_YOUR_WRITES; each scenario says whether the read missed the write.

Runs inside the replication project's Django, started by bench/replication_consistency.py,
with the replicas following the primary behind a lag it controls. Every request goes
through the project's middleware and router, as a browser's would; a stale read is one
that did not find the write. Reads are counted per alias by an execute wrapper on every
connection: the shop's tables (the pages' reads) and the token checks apart.
"""

import itertools
import threading
import time
from collections import Counter

from common.sql import is_write

SHOP_TABLES = ("products_product", "reviews_review")
TOKEN_CHECKS = ("pg_last_wal_replay_lsn", 'FROM "shop_writecounter"')
_serial = itertools.count()
COUNTS = Counter()  # (alias, "shop" or "token"): statements
_lock = threading.Lock()


def count_reads(execute, sql, params, many, context):
    """An execute wrapper: tally the reads of the shop's tables, and the token checks."""
    if not is_write(sql):
        alias = context["connection"].alias
        kind = "token" if any(m in sql for m in TOKEN_CHECKS) else None
        kind = kind or ("shop" if any(t in sql for t in SHOP_TABLES) else None)
        if kind:
            with _lock:
                COUNTS[alias, kind] += 1
    return execute(sql, params, many, context)


def watch(sender, connection, **kwargs):
    if count_reads not in connection.execute_wrappers:
        connection.execute_wrappers.append(count_reads)


def marker():
    return f"Lab review {next(_serial)}."


def client(user):
    """A logged-in browser whose requests end as a server's do: their connections close.
    The test client keeps them open, and a replica's would read its old copy for ever."""
    from django.db import close_old_connections
    from django.test import Client

    class Browser(Client):
        def request(self, **request):
            try:
                return super().request(**request)
            finally:
                close_old_connections()

    browser = Browser(HTTP_HOST="localhost")
    browser.force_login(user)
    return browser


def post_review(browser, product_id, text):
    return browser.post("/reviews/new/", {"product_id": product_id, "rating": "5", "text": text})


def on_primary(model, **lookup):
    """The primary key of the row `lookup` finds on the primary (the Pgpool-II run reads
    the primary directly instead: bench/replication_pgpool.py)."""
    return model.objects.using("default").get(**lookup).pk


def write_then_redirect(user, product_id, strategy):
    """The page the save redirects to: is the review on it?"""
    browser, text = client(user), marker()
    page = browser.get(post_review(browser, product_id, text).url)
    return text not in page.content.decode()


def another_tab(user, product_id, strategy):
    """The same browser opens the new review's own page, in another tab."""
    from reviews.models import Review

    browser, text = client(user), marker()
    post_review(browser, product_id, text)
    return browser.get(f"/reviews/{on_primary(Review, text=text)}/").status_code == 404


def foreign_key_form(user, product_id, strategy):
    """A product added in the admin, then a review of it: does the form know it?"""
    from products.models import Product

    browser, name = client(user), marker()
    browser.post("/admin/products/product/add/", {"name": name})
    new = on_primary(Product, name=name)
    return post_review(browser, new, "Fresh product.").status_code != 302  # refused


def get_or_create_after_write(user, product_id, strategy):
    """A command writes, then get_or_create()s the same row: a duplicate is a stale read."""
    from reviews.models import Review

    text = marker()
    Review.objects.create(product_id=product_id, author_id=user.pk, text=text)
    return Review.objects.get_or_create(product_id=product_id, text=text, author_id=user.pk)[1]


def task_after_commit(user, product_id, strategy):
    """A task queued on commit reads the review in a worker: by position it is handed the
    write's position, under time it reads the primary (use_primary()), under none as is."""
    from django.db import connections, transaction

    from reviews.models import Review
    from reviews.tasks import review_read_after
    from shop.causal import written_position
    from shop.pinning import use_primary

    handed = []
    with transaction.atomic(using="default"):
        review = Review.objects.create(product_id=product_id, author_id=user.pk, text=marker())
        transaction.on_commit(lambda: handed.append(written_position()), using="default")
    readers = {
        "none": lambda: Review.objects.filter(pk=review.pk).exists(),
        "time": lambda: use_primary()(Review.objects.filter(pk=review.pk).exists)(),
        "position": lambda: review_read_after(review.pk, handed[0]) is not None,
    }
    found = []

    def worker():
        try:
            found.append(readers[strategy]())
        except Review.DoesNotExist:
            found.append(False)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    return not found[0]


SCENARIOS = {
    "write then redirect": write_then_redirect,
    "another tab of the same client": another_tab,
    "a form checks a foreign key": foreign_key_form,
    "get_or_create after a write": get_or_create_after_write,
    "a task queued after the commit": task_after_commit,
}


def browsing(user, product_id, seconds):
    """A client writes, then reads the product page once a second for `seconds`: its
    stale reads, and the requests that carried a token."""
    from django.conf import settings

    browser, text = client(user), marker()
    url = post_review(browser, product_id, text).url
    stale = carried = 0
    start = time.monotonic()
    for second in range(seconds):
        time.sleep(max(0.0, start + second - time.monotonic()))
        carried += settings.REPLICATION_POSITION_COOKIE in browser.cookies
        stale += text not in browser.get(url).content.decode()
    return stale, carried
