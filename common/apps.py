from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The site shell every pattern shares: base template, stylesheet, database panel."""

    name = "common"
    verbose_name = "Site shell"
