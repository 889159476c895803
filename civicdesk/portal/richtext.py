"""Editors' text format: plain text with a few line marks, never HTML.

- a blank line separates paragraphs;
- `## Heading` and `### Sub-heading` make headings (h2, h3);
- lines starting `- ` make a bulleted list, `1. ` a numbered list;
- `[text](address)` makes a link (http, https, mailto, tel, or a path on this site starting `/`).

Everything else is shown as written (escaped), so nothing an editor types can break the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LINK = re.compile(r"\[(?P<text>[^\]\n]+)\]\((?P<url>[^)\s]+)\)")
ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_NUMBERED = re.compile(r"^\d+\.\s+")


@dataclass(frozen=True)
class Link:
    text: str
    url: str


def link_allowed(url: str) -> bool:
    return url.startswith(ALLOWED_SCHEMES) or (url.startswith("/") and not url.startswith("//"))


def links_in(text: str) -> list[Link]:
    return [Link(text=m.group("text"), url=m.group("url")) for m in LINK.finditer(text)]


def problems(text: str) -> list[str]:
    """Human-readable problems with a text (links this format will not show as links)."""
    found = []
    for link in links_in(text):
        if not link_allowed(link.url):
            found.append(f"link “{link.text}” has an address this site will not link to: {link.url}")
    if re.search(r"<\s*[a-zA-Z/][^>]*>", text):
        found.append("HTML tags are not needed: use the line marks described under the field")
    return found


def _inline(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in LINK.finditer(text):
        out.append(escape(text[position : match.start()]))
        url = match.group("url")
        if link_allowed(url):
            out.append(f'<a href="{escape(url)}">{escape(match.group("text"))}</a>')
        else:
            out.append(escape(match.group(0)))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def render(text: str) -> SafeString:
    html: list[str] = []  # every piece is escaped before it is added
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("### "):
            html.append(f"<h3>{_inline(lines[0][4:])}</h3>")
        elif len(lines) == 1 and lines[0].startswith("## "):
            html.append(f"<h2>{_inline(lines[0][3:])}</h2>")
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_NUMBERED.sub('', line))}</li>" for line in lines)
            html.append(f"<ol>{items}</ol>")
        else:
            html.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308  (every piece above is escaped)


def plain(text: str) -> str:
    """The text without marks, for search and descriptions."""
    text = LINK.sub(lambda m: m.group("text"), text)
    text = re.sub(r"^(#{2,3}|-|\d+\.)\s+", "", text, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", text).strip()
