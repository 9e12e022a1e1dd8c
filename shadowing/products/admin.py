from django.contrib import admin

from shop.admin import ShadowAdmin

from .models import Product


@admin.register(Product)
class ProductAdmin(ShadowAdmin):
    pass
