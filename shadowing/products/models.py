from django.db import models

from shop.originals import original_model
from shop.shadowed import Shadowed


class Product(Shadowed):
    # Shadowed (SHADOW_MODES in settings): production's rows are read from "snapshot",
    # local changes are kept on "default".
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# On "default": the snapshot's version of each product changed or deleted locally
# (shop/originals.py), so that a count needs no list of their keys.
ProductOriginal = original_model(Product)
