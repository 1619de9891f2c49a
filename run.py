"""The WSGI entry point: ``gunicorn run:app`` and ``flask --app run ...``."""

from app import create_app

app = create_app()
