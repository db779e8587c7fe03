"""``{{ text|inline_markdown }}``: changelog text as safe inline HTML (see ``docs.markdown``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from versioning_app.docs.markdown import to_html

register = template.Library()


@register.filter
def inline_markdown(text: str) -> SafeString:
    """`code`, **strong**, *emphasis* and http(s)/relative links; everything else escaped."""
    return to_html(str(text))
