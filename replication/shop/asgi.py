"""The shop as an ASGI application, for an ASGI server (uvicorn, in
requirements.txt): ``uvicorn shop.asgi:application``. The pinning middleware and the
``reviews/<id>.json`` view are async; the other middleware and views are synchronous, so
Django runs each request's part in a thread, as under WSGI."""

import os
import sys
from pathlib import Path

from django.core.asgi import get_asgi_application

# The site shell shared by all four patterns (common/) lives one folder up, as in manage.py.
sys.path.append(str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

application = get_asgi_application()
