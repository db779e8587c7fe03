"""Admin registration of the library's models."""

from django.contrib import admin

from .models import Author, Book


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    """Authors, searchable by name."""

    search_fields = ["name"]


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    """Books with their authors."""

    list_display = ["title", "publication_date", "isbn13", "language"]
    list_filter = ["language"]
    search_fields = ["title", "isbn13", "authors__name"]
    autocomplete_fields = ["authors"]
