"""A filtered, ordered and searched list: versioned query parameters against plain DRF.

Plain DRF filters with the same django-filter FilterSet, ``OrderingFilter`` and ``SearchFilter``
(at 1.1, a FilterSet written by hand with 1.1's names); ours translates the client's names to
head's first (nothing to rename at head, the values checked; 1.1's date names renamed).
"""

from __future__ import annotations

from django.test import Client

from benchmarks.pair import Pair

#: About thirty of the fifty books, newest first, searched by title.
HEAD_QUERY = (
    "publication_date__gte=2000-01-11&publication_date__lte=2000-02-09"
    "&ordering=-publication_date&search=Book"
)
OLD_QUERY = "published__gte=2000-01-11&published__lte=2000-02-09&ordering=-published&search=Book"


def query_pairs(client: Client) -> list[Pair]:
    """The filtered list at head (goal 1.03x) and at 1.1 (goal 1.10x)."""
    from benchmarks.scenarios import _api_pair, stable_11, stable_head
    from benchmarks.urls import PLAIN_11_PREFIX, PLAIN_HEAD_PREFIX

    return [
        _api_pair(
            client,
            "head 3.0: filtered, ordered list",
            f"{PLAIN_HEAD_PREFIX}books/?{HEAD_QUERY}",
            f"/api/v3/books/?{HEAD_QUERY}",
            1.03,
            stable_head,
        ),
        _api_pair(
            client,
            "1.1 stable: filtered, ordered list",
            f"{PLAIN_11_PREFIX}books/?{OLD_QUERY}",
            f"/api/v1/books/?{OLD_QUERY}",
            1.10,
            stable_11,
        ),
    ]
