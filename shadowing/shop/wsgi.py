"""The shop as a WSGI application, what a production server imports:
``gunicorn shop.wsgi -w 3 -b 127.0.0.1:8000`` from this pattern's folder (see the
top-level README, *Served like a real site*). ``runserver`` serves it too, through
WSGI_APPLICATION."""

import os
import sys
from pathlib import Path

from django.core.wsgi import get_wsgi_application

# The site shell shared by all four patterns (common/) lives one folder up, as in manage.py.
sys.path.append(str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

application = get_wsgi_application()
