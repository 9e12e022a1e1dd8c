"""Figure 14: losing the primary under a write load through gunicorn, with asynchronous
replication and with synchronous replication to replica1.

Run from inside replication/ with DEMO_DATABASE=postgres, only when the servers of ``make
postgres-up`` answer (the runner asks ``postgres/ready.sh``); it runs the drill twice and
restores the servers after each (postgres/failover.sh). gunicorn serves the shop with
WORKERS sync workers on databases of the bench's own (bench_*). Reviews are posted at a
steady RATE, each with a text of its own, whatever the answers; BEFORE seconds in, the drill
stops the primary; AFTER seconds later the sending stops. Acknowledged = the redirect the
view sends after its commit. Asynchronous: replica1 is cut off the primary from the start
(``failover.sh cut``), so every acknowledged write is one it never received, on purpose:
on one loopback it is rarely behind. Synchronous: ``failover.sh sync replica1``.
"""

import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, build_opener

from common.faults import failover_script
from common.postgres import SERVERS, USER, disconnect

from .runner import ROOT
from .sharding_outage import Unfollowed, logged_in, served
from .timing import row

WORKERS, RATE, BEFORE, AFTER = 3, 20, 3, 6  # workers, writes/s, seconds, seconds
MODES = {"asynchronous": ("cut",), "synchronous": ("sync", "replica1")}


def post(url, cookie, secret, product, text):
    """One review posted: (sent, answered, status); 302 to the product's page is saved."""
    sent = time.monotonic()
    data = {"product_id": product, "rating": 4, "text": text, "csrfmiddlewaretoken": secret}
    request = Request(f"{url}/reviews/new/", urlencode(data).encode(), {"Cookie": cookie})
    try:
        build_opener(Unfollowed).open(request, timeout=30).close()
        status = 200  # the form again: refused
    except HTTPError as answer:
        answer.close()
        status = answer.code
    except URLError:
        status = 0
    return sent, time.monotonic(), status


def drill_under_load(url, visitor, product, mode):
    """Writes for BEFORE + AFTER seconds, the drill BEFORE seconds in; (when the primary
    was stopped, {text: (sent, answered, status)})."""
    cookie, secret = visitor
    futures, stopped = {}, []

    def stop_the_primary():
        drill = [ROOT / "postgres" / "failover.sh"]
        with subprocess.Popen(drill, stdout=subprocess.PIPE, text=True) as script:
            for line in script.stdout:  # the moment the primary is gone, not when asked
                if line.startswith("primary: stopped"):
                    stopped.append(time.monotonic())
        if script.returncode:
            raise RuntimeError(f"postgres/failover.sh failed (exit {script.returncode})")

    drill = threading.Thread(target=stop_the_primary)
    started, sent = time.monotonic(), 0
    with ThreadPoolExecutor(max_workers=RATE * 30) as senders:
        while (now := time.monotonic() - started) < BEFORE + AFTER:
            if now >= sent / RATE:
                text = f"{mode} {sent}"
                futures[text] = senders.submit(post, url, cookie, secret, product, text)
                sent += 1
            if now >= BEFORE and drill.ident is None:
                drill.start()
            time.sleep(0.005)
    drill.join()
    return stopped[0], {text: future.result() for text, future in futures.items()}


def on_replica1(texts):
    """Which of these reviews the new primary, replica1's server, holds."""
    import psycopg

    server = SERVERS["replica1"]
    with psycopg.connect(
        host=server["HOST"], port=server["PORT"], user=USER, dbname="bench_replication"
    ) as session:
        rows = session.execute("SELECT text FROM reviews_review WHERE text = ANY(%s)", [texts])
        return {text for (text,) in rows}


def figure_14(mode, visitor):
    from django.db import connections

    from products.models import Product

    product = Product.objects.create(name=f"Failover {mode}").pk
    failover_script(*MODES[mode])
    try:
        with served() as url:
            stop, answers = drill_under_load(url, visitor, product, mode)
        acked = [text for text, (_, _, status) in answers.items() if status == 302]
        kept = on_replica1(acked)
    finally:
        failover_script("restore")
        for alias in connections:  # their connections died with the primary, or replica1
            disconnect(alias)
    return figure_row(mode, stop, answers, acked, kept)


def figure_row(mode, stop, answers, acked, kept):
    """The row of one mode: what was lost, how long writes waited and failed."""
    statuses = [status for _, _, status in answers.values()]
    normal = [done - sent for sent, done, status in answers.values() if sent < stop - 0.5]
    after = [done for sent, done, status in answers.values() if sent >= stop and status == 302]
    failed = [sent for sent, _, status in answers.values() if status != 302]
    window = max(failed) - min(failed) if failed else 0.0
    longest = max(done - sent for sent, done, _ in answers.values() if done >= stop)
    # Acknowledged while replica1 was cut off (asynchronous): before the primary stopped.
    exposed = [text for text in acked if answers[text][1] < stop]
    lost = len(acked) - len(kept)
    p95 = statistics.quantiles(normal, n=20)[-1]
    met = (
        lost == 0
        if mode == "synchronous"
        else lost == len(exposed) and kept >= set(acked) - set(exposed)
    )
    return row(
        "14",
        "replication",
        f"losing the primary, {mode} replication: acknowledged writes lost",
        f"{len(acked)} acknowledged",
        f"{lost} lost",
        None,
        "0 lost" if mode == "synchronous" else f"the {len(exposed)} made while cut off",
        None,
        met and min(after) - stop <= 2,
        f"write p50 {statistics.median(normal) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms; first "
        f"acknowledged write {min(after) - stop:.2f} s after the stop (target ≤ 2 s), the "
        f"longest wait {longest:.2f} s; failing writes for {window:.1f} s: "
        f"{statuses.count(503)} 503s, {statuses.count(500)} 500s, {statuses.count(0)} "
        f"unanswered; gunicorn -w {WORKERS}, {RATE} writes/s",
    )


def main():
    from .harness import report
    from .pool import bench_databases

    with bench_databases():
        visitor = logged_in()
        rows = [figure_14(mode, visitor) for mode in MODES]
    report(rows)


if __name__ == "__main__":
    main()
