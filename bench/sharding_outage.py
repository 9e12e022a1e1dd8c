"""Figure 11: writes to the healthy shards while one shard's server is stopped, under gunicorn.

Run from inside sharding/ with DEMO_DATABASE=postgres, only when the servers of ``make
postgres-up`` answer (the runner asks ``postgres/ready.sh``). gunicorn serves the shop
with WORKERS sync workers, on databases of the bench's own (bench_*). Writes arrive at a
steady RATE, each to a product of shard1, shard2 or shard3 in turn, whatever the answers
(as visitors do); after NORMAL seconds shard2's server stops for OUTAGE seconds
(``postgres/standby.sh stop shard2``), then starts again. The figure: the writes to
shard1 and shard3 saved per second during the outage, against before it.
"""

import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

from served.demo import serving

from .pool import bench_databases
from .runner import ROOT
from .timing import row

WORKERS, RATE, NORMAL, OUTAGE = 3, 12, 10, 13  # workers, writes/s, seconds, seconds
HEALTHY, STOPPED = ["shard1", "shard3"], "shard2"
SETTINGS = """from shop.settings import *  # noqa: F403 (the bench's databases, bench_*)
for database in DATABASES.values():  # noqa: F405
    database["NAME"] = f"bench_{database['NAME']}"
"""


def products_on(shards, each=4):
    """[(product id, shard)]: `each` new products whose reviews the map gives each shard."""
    from products.models import Product
    from shop.bucket_map import shard_for
    from shop.sharding import bucket_for_product

    found, number = {shard: [] for shard in shards}, 0
    while any(len(ids) < each for ids in found.values()):
        product, number = Product.objects.create(name=f"Product {number}"), number + 1
        shard = shard_for(bucket_for_product(product.pk))
        if shard in found and len(found[shard]) < each:
            found[shard].append(product.pk)
    return [
        (pk, shard)
        for turn in zip(*found.values(), strict=True)
        for pk, shard in zip(turn, shards, strict=True)
    ]


def logged_in():
    """The cookies and form field of a logged-in visitor: a session on "default", and a
    CSRF secret sent both as the cookie and as the form's token, as a browser sends them."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils.crypto import get_random_string

    client = Client()
    client.force_login(get_user_model().objects.create_user("bench"))
    secret = get_random_string(32)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={secret}"
    return cookie, secret


class Unfollowed(HTTPRedirectHandler):
    """A redirect is the answer itself: the page it leads to is not asked for."""

    def redirect_request(self, *args):
        return None


def post(url, cookie, secret, product):
    """One review posted; (when it was sent, when answered, whether it was saved: the
    redirect to the product's page that follows a saved review, where a refused one is
    the form again)."""
    sent = time.monotonic()
    data = urlencode({"product_id": product, "text": "Bench.", "csrfmiddlewaretoken": secret})
    request = Request(f"{url}/reviews/new/", data.encode(), {"Cookie": cookie})
    try:
        build_opener(Unfollowed).open(request, timeout=60).close()
        saved = False
    except HTTPError as answer:
        answer.close()
        saved = answer.code == 302 and answer.headers["Location"] == f"/products/{product}/"
    return sent, time.monotonic(), saved


def offer_writes(url, products, seconds, outage_at, results):
    """Send RATE writes a second for `seconds`, each in a thread of its own, and stop
    shard2's server `outage_at` seconds in; return when every answer is in."""
    cookie, secret = logged_in()
    started, sent = time.monotonic(), 0
    with ThreadPoolExecutor(max_workers=RATE * 30) as senders:
        stopping = None
        while (now := time.monotonic() - started) < seconds:
            if now >= sent / RATE:
                product, shard = products[sent % len(products)]
                future = senders.submit(post, url, cookie, secret, product)
                results.append((shard, future))
                sent += 1
            if stopping is None and now >= outage_at:
                stopping = senders.submit(standby, "stop")
            time.sleep(0.005)
    stopping.result()
    return started


def standby(command):
    script = ROOT / "postgres" / "standby.sh"
    subprocess.run([script, command, STOPPED], check=True, capture_output=True, timeout=60)


def rate(answers, start, end):
    """Writes saved between `start` and `end`, per second."""
    return sum(saved for _, at, saved in answers if start <= at < end) / (end - start)


@contextmanager
def served():
    """gunicorn serving the shop on the bench's databases (a settings module in a
    temporary folder), at the URL it yields."""
    with tempfile.TemporaryDirectory(prefix="bench-outage-") as folder:
        (Path(folder) / "bench_settings.py").write_text(SETTINGS)
        path = os.pathsep.join([folder, os.environ.get("PYTHONPATH", "")])
        env = os.environ | {"PYTHONPATH": path, "DJANGO_SETTINGS_MODULE": "bench_settings"}
        with serving(Path.cwd(), env, WORKERS, Path(folder) / "server.log") as url:
            yield url


def figure_11():
    """Healthy shards' writes per second, during shard2's outage vs before it."""
    products = products_on(["shard1", STOPPED, "shard3"])
    results = []
    with served() as url:
        try:
            started = offer_writes(url, products, NORMAL + OUTAGE, NORMAL, results)
        finally:
            standby("start")
    outage = started + NORMAL
    answers = [future.result() for shard, future in results if shard in HEALTHY]
    before = rate(answers, started + 2, outage)  # the first seconds warm the pools
    during = rate(answers, outage, outage + OUTAGE)
    wait = max(at - sent for sent, at, _ in answers if sent >= outage)
    ratio = during / before
    return row(
        "11",
        "sharding",
        "writes to the healthy shards: during a shard's outage vs before",
        f"{before:.1f}/s",
        f"{during:.1f}/s",
        ratio,
        "≥ 0.8x",
        0.8,
        ratio >= 0.8,
        f"gunicorn -w {WORKERS}, {RATE} writes/s offered over shard1-3, shard2's server "
        f"stopped for {OUTAGE} s; in it a healthy shard's write waited up to {wait:.1f} s",
    )


def main():
    from .harness import report

    with bench_databases():
        rows = [figure_11()]
    report(rows)


if __name__ == "__main__":
    main()
