REVIEWS = "reviews"  # both the app label and the database alias


def is_review(model):
    return model._meta.app_label == REVIEWS


class ReviewsRouter:
    """Send the reviews app to the "reviews" database and nothing else there."""

    def db_for_read(self, model, **hints):
        """Reviews are read from "reviews"; other models get no opinion (default)."""
        return REVIEWS if is_review(model) else None

    def db_for_write(self, model, **hints):
        """Reviews are written to "reviews"; other models get no opinion (default)."""
        return REVIEWS if is_review(model) else None

    def allow_relation(self, obj1, obj2, **hints):
        """A relation may not cross databases: both sides reviews, or neither."""
        return is_review(obj1) == is_review(obj2)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Reviews' tables only in "reviews", and every other table only elsewhere."""
        return (db == REVIEWS) == (app_label == REVIEWS)
