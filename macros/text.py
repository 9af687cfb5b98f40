"""Catalog text as page source that no Markdown extension, HTML parser or template engine reads.

Catalog prose may use one piece of markup: a code span, `like this`. Everything else is
text. For the Markdown that MkDocs renders, text becomes character references, so neither
Markdown, its extensions (attr_list, admonitions, tables, tabs), HTML nor Jinja can see
syntax in it; code spans become <code> elements whose content is escaped the same way.
For the Markdown published for tools (catalog.md, llms.txt), which is read as text more
than rendered, punctuation gets a backslash instead, which renders as the character itself.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# Values the site builds from validated identifiers (codes, names, canonical codes, SDK
# constants) pass through as they are: they also stand inside code blocks, where a
# character reference would show literally. They begin and end with a letter or digit,
# so none of them can open a block-level construct ("1." would) either.
_IDENTIFIER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
# In published Markdown: what has inline meaning anywhere, and what opens a block at the start.
_INLINE_SYNTAX = re.compile(r"[\\`*_{}\[\]<>|!~^&]")
_BLOCK_START = re.compile(r"^(?:[#+\-=:>]|\d+(?=[.)]))")


def _references(text: str) -> str:
    return _PUNCTUATION.sub(lambda match: f"&#{ord(match.group())};", text)


def one_paragraph(text: str) -> str:
    """One line: catalog prose is a single paragraph."""
    return " ".join(str(text).split())


def markdown_inline(value: object) -> Markup:
    """Catalog text for a page's Markdown: shown exactly as written, code spans as code."""
    if isinstance(value, Markup):
        return value
    # One line, but a separator's spaces (", ") are kept: they stand between two values.
    text = re.sub(r"\s+", " ", str(value))
    if _IDENTIFIER.fullmatch(text):
        return Markup(text)
    parts = []
    for index, piece in enumerate(_CODE_SPAN.split(text)):
        # split() alternates text and code-span contents.
        parts.append(f"<code>{_references(piece)}</code>" if index % 2 else _references(piece))
    return Markup("".join(parts))


def markdown_source(value: object) -> str:
    """Catalog text for published Markdown files: readable as it is, inert when rendered."""
    if isinstance(value, Markup):
        return str(value)
    text = one_paragraph(value)
    if _IDENTIFIER.fullmatch(text):
        return text
    parts = []
    for index, piece in enumerate(_CODE_SPAN.split(text)):
        parts.append(f"`{piece}`" if index % 2 else _INLINE_SYNTAX.sub(lambda m: "\\" + m.group(), piece))
    source = "".join(parts)
    # "1. x" would open a list and "# x" a heading: escape the character that does it.
    if match := _BLOCK_START.match(source):
        end = match.end()
        source = source[:end] + "\\" + source[end:] if source[end:end + 1] in ".)" else "\\" + source
    return source


def plain(text: str) -> str:
    """Catalog text without its code-span marks, for meta descriptions and titles."""
    return _CODE_SPAN.sub(r"\1", one_paragraph(text))


def code_span(value: object) -> Markup:
    """A value shown as code in running text: <code>, its content escaped like any text."""
    return Markup(f"<code>{_references(one_paragraph(value))}</code>")


def fenced_body(body: str, language: str = "text", indent: str = "") -> Markup:
    """A body as a fenced code block, indented for where it stands (a tab). Code blocks show
    their content as written: only a fence as long as a run of backticks in it could end one,
    so the fence is longer than any."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = [f"{fence}{language}", *(body.split("\n") if body else ()), fence]
    return Markup("\n".join(indent + line for line in lines))


def fenced(lines: list[str], language: str = "text", indent: str = "") -> Markup:
    """Lines of catalog text as a fenced code block, each folded to one line."""
    return fenced_body("\n".join(one_paragraph(line) for line in lines), language, indent)
