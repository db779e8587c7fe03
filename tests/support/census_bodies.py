"""``python -m tests.support.census_bodies``: how many hostile bodies answer 500 (issue 13).

Posts each body of the hostile-body corpus (tests/test_hostile_bodies.py) once, authenticated,
through Django's test client with server errors rendered (not raised), on whatever database
the ``VERSIONING_APP_TEST_*`` variables select, and prints the status of each and the total of
500s. Runs against any checkout of the project: the figure before and after a fix.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def cases() -> list[tuple[str, str, str, bytes]]:
    """(name, method, path, body) of every case."""
    v1 = {"title": "T", "author_name": "A", "published": "2020-01-01", "isbn": "9780306406157"}
    v2 = {"title": "T", "authors": [{"name": "A"}], "publication_date": "2020-01-01",
          "isbn": "9780306406157"}  # fmt: skip
    found = []
    for depth in (33, 1_000, 100_000):
        deep = ('{"title": "T", "authors": ' + "[" * depth + "]" * depth + "}").encode()
        found += [(f"depth {depth} v1", "POST", "/api/v1/books/", deep)]
        found += [(f"depth {depth} v2", "POST", "/api/v2/books/", deep)]
    for pages in (2**31, 2**63, 10**400):
        for version, body in (("1", v1), ("2", v2)):
            raw = json.dumps({**body, "pages": pages}).encode()
            found.append(
                (f"pages {str(pages)[:12]} v{version}", "POST", f"/api/v{version}/books/", raw)
            )
    found.append(
        (
            "3 MB body",
            "POST",
            "/api/v2/books/",
            json.dumps({**v2, "title": "x" * 3_000_000}).encode(),
        )
    )
    authors = json.dumps({"authors": [{"name": f"a{n}"} for n in range(80_000)]}).encode()
    found.append(("80,000 authors", "PATCH", "/api/v2/books/{book}/", authors))
    for raw in ("[]", '"s"', "null", "[{}]", '{"authors": {"name": "A"}}', "{", "NaN"):
        found.append((f"body {raw}", "POST", "/api/v2/books/", raw.encode()))
    return found


def main() -> int:
    """Run the corpus on a fresh test database; print each status and the number of 500s."""
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from tests.testapp.factories import BookFactory
    from tests.testapp.models import Book

    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        User.objects.create_user("census", password="secret")
        book = BookFactory()
        token = base64.b64encode(b"census:secret").decode()
        client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Basic {token}")
        statuses: Counter[int] = Counter()
        for name, method, path, body in cases():
            start = time.perf_counter()
            response = client.generic(
                method, path.format(book=book.pk), body, content_type="application/json"
            )
            Book.objects.exclude(pk=book.pk).delete()  # a created book would hold the ISBN
            statuses[response.status_code] += 1
            print(f"{response.status_code}  {time.perf_counter() - start:6.2f} s  {name}")
        print(f"500s: {statuses[500]} of {sum(statuses.values())}; statuses {dict(statuses)}")
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
