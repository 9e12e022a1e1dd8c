from django.db import models


class Product(models.Model):
    # Written to the primary, read from a replica.
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
