"""Synthetic shop data, the same for every pattern: products, and reviews of them."""

import random
from datetime import UTC, datetime, timedelta

WORDS = "good fine loud quiet sturdy small heavy light worth it again broke".split()
START = datetime(2025, 1, 1, tzinfo=UTC)


def review_fields(count, product_ids, author_id, seed=1, words=6):
    """`count` dicts of a review's fields, spread over a year and over the products."""
    rng = random.Random(seed)
    return [
        {
            "product_id": rng.choice(product_ids),
            "author_id": author_id,
            "rating": rng.choice([None, 1, 2, 3, 4, 5]),
            "text": " ".join(rng.choices(WORDS, k=words)).capitalize() + ".",
            "created": START + timedelta(seconds=rng.randrange(365 * 24 * 3600)),
        }
        for _ in range(count)
    ]


def add_admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin", "admin@example.com", "admin")
