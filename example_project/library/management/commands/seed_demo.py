"""Seed the demo library and the demo superuser; safe to run again."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from example_project.library.factories import AuthorFactory, BookFactory
from example_project.library.models import Book
from versioning_app import lifecycle
from versioning_app.clients.models import Client, Pin, PinChange
from versioning_app.lifecycle.sync import sync_versions
from versioning_app.models import Status, UsageRecord, VersionLifecycle
from versioning_app.usage.buffer import hash_client

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

# SPEC section 11: API users, each pinned to a version; password = username (local demo only).
DEMO_CLIENTS = [("alice", "1.0"), ("bob", "2.0")]

MIGRATION_GUIDE = "https://example.com/library-api/migrate-to-v2"
SUNSET_AFTER = datetime.timedelta(days=180)

# SPEC section 6: where each version is after seeding.
DEMO_LIFECYCLE = {
    "0.9": Status.RETIRED,
    "1.0": Status.DEPRECATED,
    "1.1": Status.DEPRECATED,
    "2.0": Status.STABLE,
    "2.1": Status.STABLE,
    "3.0": Status.PREVIEW,
}


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

        self.seed_lifecycle()

        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_USERNAME).exists():
            user_model.objects.create_superuser(DEMO_USERNAME, "", DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin login (local demo only): {DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )
        self.seed_clients()

    def seed_clients(self) -> None:
        """API users alice (pinned to 1.0) and bob (pinned to 2.0), with some usage (idempotent)."""
        user_model = get_user_model()
        now = timezone.now()
        today = now.date()
        for username, version in DEMO_CLIENTS:
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model.objects.create_user(username, f"{username}@example.com", username)
            key = hash_client("user", user.pk)
            client, _ = Client.objects.get_or_create(
                key=key,
                defaults={
                    "label": username,
                    "email": user.email,
                    "first_seen": now - datetime.timedelta(days=20),
                    "last_seen": now,
                },
            )
            major = int(version.split(".")[0])
            if not Pin.objects.filter(client=client, major=major).exists():
                Pin.objects.create(client=client, major=major, version=version, changed_at=now)
                PinChange.objects.create(
                    client=client, major=major, kind=PinChange.Kind.CREATED,
                    to_version=version, at=now, by="seed_demo",
                )  # fmt: skip
            for days_ago, count in ((1, 12), (3, 30), (9, 18)):
                UsageRecord.objects.get_or_create(
                    day=today - datetime.timedelta(days=days_ago),
                    version=version,
                    route="book-list",
                    method="GET",
                    client=key,
                    defaults={"count": count, "last_seen": now},
                )
        names = ", ".join(f"{name}/{name} (pinned to {version})" for name, version in DEMO_CLIENTS)
        self.stdout.write(f"Demo API clients: {names}")

    def seed_lifecycle(self) -> None:
        """Bring each version to its demo state through the lifecycle rules (idempotent)."""
        sync_versions()
        current = dict(VersionLifecycle.objects.values_list("version", "status"))
        for version, target in DEMO_LIFECYCLE.items():
            if target != Status.PREVIEW and current.get(version) == Status.PREVIEW:
                lifecycle.stabilize(version)
        sunset = timezone.now() + SUNSET_AFTER
        for version in ("1.0", "1.1", "0.9"):
            if current.get(version) in (Status.PREVIEW, Status.STABLE):
                lifecycle.deprecate(
                    version, sunset_at=sunset, successor="2.0", documentation_url=MIGRATION_GUIDE
                )
        if current.get("0.9") != Status.RETIRED:
            lifecycle.retire("0.9")
        states = dict(VersionLifecycle.objects.values_list("version", "status"))
        if states.get("3.0") != Status.PREVIEW:
            # Stability is never downgraded, not even by the demo seed.
            self.stdout.write(
                self.style.WARNING(
                    "3.0 is already stable in this database; the demo wants it in preview. "
                    "Delete db.sqlite3 and run `make run` again for the demo states."
                )
            )
        self.stdout.write("Lifecycle: " + ", ".join(f"{v} {s}" for v, s in states.items()))
