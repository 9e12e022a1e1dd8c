from django.conf import settings


def pattern(request):
    """Name the pattern in every page's header, from the project's PATTERN_TITLE setting."""
    return {"pattern_title": settings.PATTERN_TITLE}
