from django import forms
from django.contrib.auth import get_user_model

from products.models import Product

from .models import Review


class ReviewForm(forms.ModelForm):
    # The choice is checked against the products table on "default"; the review,
    # on its shard, keeps only the id.
    product_id = forms.ModelChoiceField(Product.objects.all(), label="Product")

    class Meta:
        model = Review
        fields = ["product_id", "rating", "text"]
        labels = {"rating": "Rating (optional)"}

    def clean_product_id(self):
        return self.cleaned_data["product_id"].pk


class ReviewAdminForm(ReviewForm):
    # Authors are users, on "default": the same check by id as for products.
    author_id = forms.ModelChoiceField(get_user_model().objects.all(), label="Author")

    class Meta(ReviewForm.Meta):
        fields = ["product_id", "author_id", "rating", "text", "created"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The product decides the shard and is folded into the id: it cannot change.
        self.fields["product_id"].disabled = self.instance.pk is not None

    def clean_author_id(self):
        return self.cleaned_data["author_id"].pk
