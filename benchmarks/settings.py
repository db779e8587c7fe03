"""Benchmark settings: the test settings, an in-memory SQLite, 50-item pages, plain and versioned URLs."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "PAGE_SIZE": 50}  # noqa: F405
