REVIEWS = "reviews"  # both the app label and the database alias


def is_review(model):
    return model._meta.app_label == REVIEWS


class ReviewsRouter:
    """Send the reviews app to the "reviews" database and nothing else there."""

    def db_for_read(self, model, **hints):
        """Reviews are read from "reviews"; no opinion on others (README, "No opinion")."""
        return REVIEWS if is_review(model) else None

    def db_for_write(self, model, **hints):
        """Reviews are written to "reviews"; no opinion on others (README, "No opinion")."""
        return REVIEWS if is_review(model) else None

    def allow_relation(self, obj1, obj2, **hints):
        """A review relates only to a review; no opinion between two other models."""
        if is_review(obj1) or is_review(obj2):
            return is_review(obj1) and is_review(obj2)
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Reviews' tables only in "reviews"; no opinion on other apps elsewhere."""
        if app_label == REVIEWS:
            return db == REVIEWS
        # A final answer, not None: "reviews" holds the reviews only, so no router
        # after this one may put another app's tables there.
        return False if db == REVIEWS else None
