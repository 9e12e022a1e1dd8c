"""The headline trap, run: a foreign key from a review to a product, refused by Django."""

from django.apps.registry import Apps
from django.core.management import BaseCommand, CommandError
from django.db import models

from common.command_output import CommandOutput
from common.db_errors import NOT_SET_UP, first_line
from common.db_status import server_down
from products.models import Product


def review_with_foreign_key():
    """What Review would be with a ForeignKey to Product instead of a plain product_id."""

    class ReviewWithForeignKey(models.Model):
        product = models.ForeignKey(Product, on_delete=models.CASCADE)

        class Meta:
            app_label = "reviews"
            apps = Apps()  # a registry of its own: the site's models stay as they are

        def __str__(self):
            return f"Review of {self.product}"

    return ReviewWithForeignKey


class Command(CommandOutput, BaseCommand):
    help = "Give a review a foreign key to a product, and show Django's refusal."

    def handle(self, *args, **options):
        try:
            product = Product.objects.order_by("pk").first()
        except NOT_SET_UP as error:
            if down := server_down(error):
                raise CommandError(f"{down}: start it, then run this again.") from None
            raise CommandError(f"The databases are not set up ({first_line(error)})") from None
        if product is None:
            raise CommandError("No product to point at: run manage.py setup_demo first.")
        self.say(f"product: {product} (id {product.pk}), read from {product._state.db}")
        self.say("review: ReviewWithForeignKey(product=product), to be saved on reviews")
        try:
            review_with_foreign_key()(product=product)
        except ValueError as refusal:
            self.say(f"refused: ValueError: {refusal}")
            self.say("nothing was written: Review keeps product_id as a plain integer")
            return
        raise CommandError("Django allowed the relation: check allow_relation() in routers.py")
