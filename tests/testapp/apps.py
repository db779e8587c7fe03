"""The test app's configuration."""

from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Books and authors, versioned, for the library's own tests."""

    name = "tests.testapp"
    label = "testapp"
    verbose_name = "Test app"
    default_auto_field = "django.db.models.BigAutoField"
