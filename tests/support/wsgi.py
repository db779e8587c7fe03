"""WSGI entry point of the live-server tests: the settings come from their environment."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
