"""The retire decision by client: labels, trend, share on the successor, anonymous apart."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from tests.support.usage_support import UsageRecordFactory
from versioning_app.clients.models import Client
from versioning_app.clients.retire import retire_decision
from versioning_app.testing import LifecycleSnapshot, VersionState, serve_lifecycle
from versioning_app.versions import VersionNumber

pytestmark = pytest.mark.django_db

V10, V20 = VersionNumber(1, 0), VersionNumber(2, 0)
DEPRECATED = LifecycleSnapshot(
    versions={V10: VersionState(V10, status="deprecated", successor=V20)}
)


def ago(days: int) -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=days)


@pytest.fixture
def calls() -> None:
    now = timezone.now()
    Client.objects.create(key="user:a", label="alice", first_seen=now, last_seen=now)
    UsageRecordFactory(version="1.0", client="user:a", count=10, day=ago(1))
    UsageRecordFactory(version="1.0", client="user:a", count=30, day=ago(9))
    UsageRecordFactory(version="2.0", client="user:a", count=40, day=ago(1))
    UsageRecordFactory(version="1.0", client="anonymous", count=7, day=ago(2))


@serve_lifecycle(DEPRECATED)
def test_clients_by_label_with_trend_and_share_on_the_successor(calls: None) -> None:
    decision = retire_decision("1.0", 30)
    (alice,) = decision.clients
    assert (alice.label, alice.requests, alice.last_week, alice.week_before) == (
        "alice", 40, 10, 30,
    )  # fmt: skip
    assert alice.trend == -20
    assert alice.on_successor == 0.5
    assert decision.anonymous_requests == 7
    assert decision.safe_to_retire is False
    html = Template("{% load versioning_clients %}{% clients_for_retire '1.0' %}").render(Context())
    assert "Not safe to retire:" in html and "<td>alice</td>" in html and "50 %" in html
    assert "Requests from anonymous clients in the period: 7" in html


@serve_lifecycle(DEPRECATED)
def test_anonymous_calls_alone_leave_it_safe_to_retire() -> None:
    UsageRecordFactory(version="1.0", client="anonymous", count=7, day=ago(2))
    UsageRecordFactory(version="1.0", client="user:old", count=7, day=ago(40))
    decision = retire_decision("1.0", 30)
    assert decision.clients == [] and decision.safe_to_retire is True


def test_safe_to_retire_is_not_said_of_a_version_that_is_not_deprecated() -> None:
    assert retire_decision("1.0", 30).safe_to_retire is None
    html = Template("{% load versioning_clients %}{% clients_for_retire '1.0' %}").render(Context())
    assert "Safe to retire" not in html and "not deprecated" in html
