"""The README's "Try it" steps, replayed on the demo fixtures: each shows what it claims.

Transactional, with sequences reset, so ids match the README's and the databases can
be read from outside, as step 4 does with the sqlite3 shell (or psql).
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections

from common.faults import read_outside
from common.testing import panel_counts, panel_request, panel_sql

from .helpers import admin_review_form

pytestmark = pytest.mark.django_db(
    databases=["default", "reviews"], transaction=True, reset_sequences=True
)
KETTLE, GRINDER = 1, 2
REPOSITORY = Path(__file__).resolve().parents[2]
README = REPOSITORY / "functional_split" / "README.rst"


@pytest.fixture
def demo(client):
    """What `setup_demo` leaves: each fixture in its database, and admin / admin."""
    for alias in connections:
        call_command("loaddata", "demo", database=alias, verbosity=0)
    get_user_model().objects.create_superuser("admin", "admin@example.com", "admin")
    return client


@pytest.fixture
def admin(demo):
    assert demo.login(username="admin", password="admin")
    return demo


def write_review(client, text="Quiet and even."):
    data = {"product_id": GRINDER, "rating": "5", "text": text}
    return client.post("/reviews/new/", data, follow=True)


def test_step_1_product_list_costs_one_query_per_database(demo):
    response = demo.get("/")
    assert panel_counts(response) == {"default": 1, "reviews": 1}
    assert "GROUP BY" in panel_sql(response, "reviews")


@pytest.mark.parametrize("page", [1, 2])
def test_step_2_product_page_costs_two_queries_per_database(demo, page):
    response = demo.get(f"/products/{KETTLE}/?page={page}")
    assert response.context["page"].paginator.count == 25
    assert panel_counts(response) == {"default": 2, "reviews": 2}
    assert '"auth_user"."id" IN (' in panel_sql(response, "default")


def test_step_3_written_review_shows_its_insert_in_the_panel(admin):
    response = write_review(admin)
    assert response.request["PATH_INFO"] == f"/products/{GRINDER}/"
    assert "Your review was saved as review 41" in response.text
    assert panel_request(response, this_page=False)["request"] == "POST /reviews/new/"
    assert 'INSERT INTO "reviews_review"' in panel_sql(response, "reviews", this_page=False)


def test_step_4_review_is_in_the_reviews_file_and_its_ids_point_to_default(admin):
    write_review(admin)
    query = "SELECT id, product_id, author_id, rating FROM reviews_review WHERE id = 41"
    assert read_outside("reviews", query) == [(41, 2, 5, 5)]
    assert read_outside("default", "SELECT id, username FROM auth_user WHERE id = 5") == [
        (5, "admin")
    ]


def test_step_4_each_database_has_only_its_own_tables(demo):
    tables = {alias: connections[alias].introspection.table_names() for alias in connections}
    assert tables["reviews"] == ["django_migrations", "reviews_review"]
    assert "reviews_review" not in tables["default"]


def test_step_5_review_without_text_is_refused_after_a_constraint_check(admin):
    """A text of spaces passes the browser's `required` and is stripped to nothing here."""
    response = admin.post("/reviews/new/", {"product_id": GRINDER, "rating": "5", "text": "   "})
    assert "This field is required." in response.text
    assert panel_counts(response)["reviews"] == 1
    assert 'SELECT 1 AS "_check" WHERE' in panel_sql(response, "reviews")
    assert read_outside("reviews", "SELECT COUNT(*) FROM reviews_review") == [(40,)]


def test_step_5_a_rating_outside_1_to_5_is_refused_before_any_query_on_reviews(admin):
    """The form's choice refuses it first, so the model's constraint is never asked."""
    data = {"product_id": GRINDER, "rating": "9", "text": "Too good."}
    response = admin.post("/reviews/new/", data)
    assert "Select a valid choice. 9 is not one of the available choices." in response.text
    assert panel_counts(response)["reviews"] == 0


def test_step_6_admin_list_names_products_and_authors(admin):
    response = admin.get("/admin/reviews/review/")
    assert "Pour-over kettle" in response.text
    assert "Burr grinder" in response.text


def test_step_6_admin_change_and_delete_run_on_reviews(admin):
    write_review(admin)
    form = admin_review_form(product_id=GRINDER, author_id=5, rating="4", text="Changed.")
    changed = admin.post("/admin/reviews/review/41/change/", form, follow=True)
    assert 'UPDATE "reviews_review"' in panel_sql(changed, "reviews", this_page=False)
    assert 'INSERT INTO "django_admin_log"' in panel_sql(changed, "default", this_page=False)
    deleted = admin.post("/admin/reviews/review/41/delete/", {"post": "yes"}, follow=True)
    assert 'DELETE FROM "reviews_review"' in panel_sql(deleted, "reviews", this_page=False)
    assert read_outside("reviews", "SELECT COUNT(*) FROM reviews_review WHERE id = 41") == [(0,)]


def test_steps_in_a_second_terminal_activate_the_virtual_environment_first():
    """After `make demo`, a new terminal's `python` has no Django ("No module named
    'django'"): every step run in a second terminal says to activate .venv first."""
    paragraphs = README.read_text().split("\n\n")
    steps = [paragraph for paragraph in paragraphs if "second terminal" in paragraph]
    assert steps
    assert all("``. ../.venv/bin/activate``" in step for step in steps)


def test_the_sqlite3_shell_the_steps_run_is_in_the_install_list():
    """Step 4 runs the sqlite3 shell: the top README's Quick start says to install it."""
    quick_start = (REPOSITORY / "README.rst").read_text().split("Quick start")[1]
    what_to_install = quick_start.split("::")[0]
    assert "$ sqlite3 " in README.read_text()
    assert "``sqlite3`` command-line shell" in what_to_install
