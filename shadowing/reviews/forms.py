from django import forms
from django.contrib.auth import get_user_model

from products.models import Product
from shop.shadow import SnapshotMissing

from .models import Review


class MergedChoiceField(forms.ModelChoiceField):
    """A choice checked against the merged rows; one that may be in a missing snapshot
    is a form error that says so, where Django's field would let the error through."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except SnapshotMissing as error:
            raise forms.ValidationError(str(error)) from None


class ReviewForm(forms.ModelForm):
    # The choice is checked against the merged products, snapshot and local; the
    # review keeps only the id.
    product_id = MergedChoiceField(Product.objects.all(), label="Product")

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

    def clean_author_id(self):
        return self.cleaned_data["author_id"].pk
