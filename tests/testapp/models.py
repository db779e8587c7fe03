"""Books and their authors, as the newest version of the test API sees them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Author(models.Model):
    """Someone who wrote one or more books."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    """A book in the library."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        GERMAN = "de", _("German")
        SPANISH = "es", _("Spanish")

    title = models.CharField(_("title"), max_length=200)
    authors = models.ManyToManyField(Author, related_name="books", verbose_name=_("authors"))
    publication_date = models.DateField(_("publication date"))
    isbn13 = models.CharField(_("ISBN-13"), max_length=13, unique=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("book")
        verbose_name_plural = _("books")

    def __str__(self) -> str:
        return self.title
