"""A tiny, escaping renderer of inline Markdown for changelog text: `code`, **strong**,
*emphasis* / _emphasis_ and [links](https://...). Everything else is text: raw HTML is escaped,
and a link whose URL is neither http(s) nor relative renders as its text alone."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# One alternation, scanned left to right: the first construct that starts earliest wins.
_INLINE = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|\[(?P<text>[^\]\n]+)\]\((?P<url>[^()\s]+)\)"
    r"|\*\*(?P<strong>[^*\n]+?)\*\*"
    r"|\*(?P<em>[^*\s][^*\n]*?)\*"
    r"|(?<![\w\\])_(?P<em2>[^_\s][^_\n]*?)_(?![\w])"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def safe_url(url: str) -> bool:
    """Whether a link may point at ``url``: http(s), or relative to this site (no other scheme,
    no protocol-relative ``//host``)."""
    if url.startswith("//") or url.startswith("\\"):
        return False
    if _SCHEME.match(url):
        return url.lower().startswith(("http://", "https://"))
    return True


def to_html(text: str) -> SafeString:
    """``text`` as HTML: the inline constructs above, everything else escaped."""
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(escape(text[position : match.start()]))
        position = match.end()
        groups = match.groupdict()
        if groups["code"] is not None:
            out.append(f"<code>{escape(groups['code'])}</code>")
        elif groups["url"] is not None:
            inner = to_html(groups["text"])
            url = groups["url"]
            out.append(f'<a href="{escape(url)}">{inner}</a>' if safe_url(url) else inner)
        elif groups["strong"] is not None:
            out.append(f"<strong>{to_html(groups['strong'])}</strong>")
        else:
            out.append(f"<em>{to_html(groups['em'] or groups['em2'])}</em>")
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # every piece of input above went through escape()


def to_markdown(text: str) -> str:
    """``text`` as Markdown that renders like ``to_html``: HTML and unsafe links neutralised."""
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(_text(text[position : match.start()]))
        position = match.end()
        groups = match.groupdict()
        if groups["code"] is not None:
            out.append(match.group(0))  # a code span shows <, & and [ literally already
        elif groups["url"] is not None:
            inner = to_markdown(groups["text"])
            url = groups["url"].replace("<", "%3C").replace(">", "%3E")
            out.append(f"[{inner}]({url})" if safe_url(groups["url"]) else inner)
        elif groups["strong"] is not None:
            out.append(f"**{to_markdown(groups['strong'])}**")
        else:
            out.append(f"*{to_markdown(groups['em'] or groups['em2'])}*")
    out.append(_text(text[position:]))
    return "".join(out)


def _text(text: str) -> str:
    # Markdown passes raw HTML through and makes links of brackets: escape what would start a
    # tag, an entity or a link, so that the text reads as it does on the page.
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("[", "\\["), ("]", "\\]")):
        text = text.replace(char, escaped)
    return text
