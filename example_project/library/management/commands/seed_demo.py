"""Seed the demo library and the demo superuser; safe to run again."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from example_project.library.factories import AuthorFactory, BookFactory
from example_project.library.models import Book

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "admin"

DEMO_BOOKS = [
    ("The Left Hand of Darkness", ["Ursula K. Le Guin"], "1969-03-01", "9780441478125", 304, "en"),
    ("Good Omens", ["Terry Pratchett", "Neil Gaiman"], "1990-05-01", "9780060853983", 432, "en"),
    ("Le Petit Prince", ["Antoine de Saint-Exupéry"], "1943-04-06", "9782070612758", 96, "fr"),
    ("Die Verwandlung", ["Franz Kafka"], "1915-10-01", "9783150000090", 80, "de"),
    ("Cien años de soledad", ["Gabriel García Márquez"], "1967-05-30", "9780307474728", 417, "es"),
    ("Small Gods", ["Terry Pratchett"], "1992-01-01", "9780062237378", 400, "en"),
]


class Command(BaseCommand):
    """``manage.py seed_demo``: demo books, authors and the ``admin`` superuser."""

    help = "Seed the example project's demo data (idempotent) and print the demo admin login."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        """Create whatever of the demo data is missing."""
        created = 0
        for title, names, published, isbn13, pages, language in DEMO_BOOKS:
            if Book.objects.filter(isbn13=isbn13).exists():
                continue
            BookFactory(
                title=title,
                authors=[AuthorFactory(name=name) for name in names],
                publication_date=datetime.date.fromisoformat(published),
                isbn13=isbn13,
                pages=pages,
                language=language,
            )
            created += 1
        self.stdout.write(f"Demo books: {created} created, {Book.objects.count()} in all.")

        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_USERNAME).exists():
            user_model.objects.create_superuser(DEMO_USERNAME, "", DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin login (local demo only): {DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )
