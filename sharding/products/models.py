from django.db import models


class Product(models.Model):
    # Lives on "default", beside the users who write reviews about it.
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
