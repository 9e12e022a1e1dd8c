from django import forms
from django.contrib.auth import get_user_model

from products.models import Product

from .models import Review


class ReviewForm(forms.ModelForm):
    # The page lists the products a replica holds: one added a moment ago may not be
    # offered yet. The POST checks the choice on the primary (a POST reads it).
    product_id = forms.ModelChoiceField(Product.objects.all(), label="Product")

    class Meta:
        model = Review
        fields = ["product_id", "rating", "text"]
        labels = {"rating": "Rating (optional)"}

    def clean_product_id(self):
        return self.cleaned_data["product_id"].pk


class ReviewAdminForm(ReviewForm):
    # Authors are users, read from the primary: the same check by id as for products.
    author_id = forms.ModelChoiceField(get_user_model().objects.all(), label="Author")

    class Meta(ReviewForm.Meta):
        fields = ["product_id", "author_id", "rating", "text", "created"]

    def clean_author_id(self):
        return self.cleaned_data["author_id"].pk
