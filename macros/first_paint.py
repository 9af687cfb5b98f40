"""The styles a page's first paint needs, written into the page; the whole stylesheets later.

A page's stylesheet links are replaced by a <style> holding the rules of those stylesheets
that can apply to the page as it is written (and as the theme's inline scripts leave it
before the first paint), in their order, and by a <noscript> holding the links themselves:
a reader without scripts gets the stylesheets as before, and javascripts/on-demand.js puts
the same links in the page when the theme is loaded, for what the theme's script adds and
for the pages instant navigation swaps in. The first paint then waits for no other file.

Which rules can apply is decided as PurgeCSS decides it, by name, and on the safe side: a
selector is kept unless it names a class, an id or an attribute (or an attribute's value)
that the page never holds. Pseudo-classes (:hover, :checked) are states, kept; what :not(),
:is(), :where() and :has() hold is not required.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import tinycss2

# The class the page's first inline script gives <html> (overrides/main.html): the theme's
# script comes on demand, so the page is styled as the theme will have it.
SCRIPTED_ROOT_CLASS = "js"

_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_TABLE_TAG = re.compile(r"<table\b[^>]*>|</table>", re.IGNORECASE)
# Material 9.8.1 wraps every table without a class in these, for sideways scrolling, when its
# script starts; javascripts/on-demand.js keeps it from wrapping them twice.
TABLE_WRAPPERS = ('<div class="md-typeset__scrollwrap"><div class="md-typeset__table">', "</div></div>")
_ATTRIBUTE = re.compile(r"""\[\s*([\w-]+)\s*(?:([~|^$*]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]*))\s*(?:[is]\s*)?)?\]""")
_FUNCTIONAL_PSEUDO = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
# A type selector: a name that starts a compound selector (after a combinator or the start).
_TAG = re.compile(r"(?:^|[\s>+~,])([a-zA-Z][\w-]*)")
_RULE_LISTS = {"media", "supports", "container", "layer", "document"}


class FirstPaintError(ValueError):
    """A page whose stylesheets cannot be written into it."""


@dataclass(frozen=True)
class Needs:
    """What a selector needs the page to hold."""
    tags: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    attributes: frozenset[str]
    values: frozenset[tuple[str, str]]

    def met_by(self, page: PageTokens) -> bool:
        return (self.tags <= page.tags and self.classes <= page.classes and self.ids <= page.ids
                and self.attributes <= page.attributes and self.values <= page.values)


@dataclass(frozen=True)
class PageTokens:
    tags: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    attributes: frozenset[str]
    values: frozenset[tuple[str, str]]


def _without_functional_pseudo(selector: str) -> str:
    """The selector without what :not(...) and its kind hold (nested parentheses included)."""
    out, position = [], 0
    for match in _FUNCTIONAL_PSEUDO.finditer(selector):
        if match.start() < position:
            continue
        out.append(selector[position:match.start()])
        depth, index = 1, match.end()
        while index < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[index], 0)
            index += 1
        position = index
    out.append(selector[position:])
    return "".join(out)


def needs_of(selector: str) -> Needs | None:
    """What one complex selector needs; None where it cannot be read safely (an escape)."""
    if "\\" in selector:
        return None
    attributes, values = set(), set()

    def attribute(match: re.Match) -> str:
        name, operator = match.group(1).lower(), match.group(2)
        attributes.add(name)
        if operator == "=":
            values.add((name, next(v for v in match.group(3, 4, 5) if v is not None)))
        return " "

    rest = _ATTRIBUTE.sub(attribute, _without_functional_pseudo(selector))
    tags = {match.group(1).lower() for match in _TAG.finditer(re.sub(r"\([^()]*\)", "", rest))}
    return Needs(frozenset(tags), frozenset(_CLASS.findall(rest)), frozenset(_ID.findall(rest)),
                 frozenset(attributes), frozenset(values))


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return [part.strip() for part in parts if part.strip()]


_VARIABLE = re.compile(r"var\(\s*(--[\w-]+)")


@dataclass(frozen=True)
class Declaration:
    name: str
    text: str  # as it is written: "name:value"
    uses: frozenset[str]  # the custom properties its value reads


@dataclass(frozen=True)
class Rule:
    """A style rule (its selectors, each with what it needs, and its declarations), or an
    at-rule holding rules (@media), or any other at-rule, kept as it is (@font-face)."""
    selectors: tuple[tuple[str, Needs | None], ...] = ()
    declarations: tuple[Declaration, ...] = ()
    head: str = ""  # an at-rule's "@media screen and (...)"
    rules: tuple[Rule, ...] | None = None
    verbatim: str = ""

    def used(self, page: PageTokens) -> list:
        """What of this rule can apply to the page: [] or one ("style", selectors, declarations),
        ("group", head, parts) or ("verbatim", text)."""
        if self.verbatim:
            return [("verbatim", self.verbatim)]
        if self.rules is not None:
            inner = [part for rule in self.rules for part in rule.used(page)]
            return [("group", self.head, inner)] if inner else []
        kept = [text for text, needs in self.selectors if needs is None or needs.met_by(page)]
        return [("style", ",".join(kept), self.declarations)] if kept else []


def _uses(parts: list) -> set[str]:
    """The custom properties the parts read, directly or through other custom properties
    (wherever those are defined: in any rule, at any depth of @media)."""
    direct: set[str] = set()
    through: dict[str, set[str]] = {}

    def collect(nested: list) -> None:
        for kind, first, *rest in nested:
            if kind == "group":
                collect(rest[0])
            elif kind == "verbatim":
                direct.update(_VARIABLE.findall(first))
            else:
                for declaration in rest[0]:
                    if declaration.name.startswith("--"):
                        through.setdefault(declaration.name, set()).update(declaration.uses)
                    else:
                        direct.update(declaration.uses)

    collect(parts)
    found, queue = set(), list(direct)
    while queue:
        name = queue.pop()
        if name not in found:
            found.add(name)
            queue.extend(through.get(name, ()))
    return found


def _serialize(parts: list, read: set[str]) -> str:
    out = []
    for kind, first, *rest in parts:
        if kind == "verbatim":
            out.append(first)
        elif kind == "group":
            inner = _serialize(rest[0], read)
            if inner:
                out.append(f"{first}{{{inner}}}")
        else:
            # A custom property nothing on the page reads is left to the whole stylesheet.
            body = ";".join(d.text for d in rest[0] if not d.name.startswith("--") or d.name in read)
            if body:
                out.append(f"{first}{{{body}}}")
    return "".join(out)


def _declarations(content) -> tuple[Declaration, ...]:
    found = []
    for node in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if node.type != "declaration":
            raise FirstPaintError(f"a stylesheet holds what is not a declaration in a rule: {tinycss2.serialize([node])[:80]}")
        value = tinycss2.serialize(node.value).strip()
        text = f"{node.name}:{value}{'!important' if node.important else ''}"
        found.append(Declaration(node.name, text, frozenset(_VARIABLE.findall(value))))
    return tuple(found)


def _rules(nodes) -> tuple[Rule, ...]:
    rules = []
    for node in nodes:
        if node.type == "qualified-rule":
            prelude = tinycss2.serialize(node.prelude).strip()
            rules.append(Rule(selectors=tuple((s, needs_of(s)) for s in _split_selectors(prelude)),
                              declarations=_declarations(node.content)))
        elif node.type == "at-rule":
            name = node.lower_at_keyword
            if name == "charset":
                continue
            head = f"@{node.at_keyword} {tinycss2.serialize(node.prelude).strip()}".rstrip()
            if name in _RULE_LISTS and node.content is not None:
                inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
                rules.append(Rule(head=head, rules=_rules(inner)))
            else:
                rules.append(Rule(verbatim=tinycss2.serialize([node])))
        elif node.type == "error":
            raise FirstPaintError(f"a stylesheet cannot be read: {node.message}")
    return tuple(rules)


@dataclass(frozen=True, eq=False)  # hashed as itself: the caches below key on it at no cost
class Stylesheet:
    rules: tuple[Rule, ...]

    @functools.cached_property
    def universe(self) -> PageTokens:
        """Every name any selector of the rules asks for."""
        found: dict[str, set] = {"tags": set(), "classes": set(), "ids": set(), "attributes": set(), "values": set()}

        def walk(nested) -> None:
            for rule in nested:
                if rule.rules is not None:
                    walk(rule.rules)
                for _, needs in rule.selectors:
                    if needs is not None:
                        for field in found:
                            found[field] |= getattr(needs, field)

        walk(self.rules)
        return PageTokens(**{field: frozenset(names) for field, names in found.items()})


def parse_css(css: str) -> Stylesheet:
    return Stylesheet(_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)))


@functools.lru_cache(maxsize=32)
def parse_stylesheets(paths: tuple[Path, ...]) -> Stylesheet:
    """The rules of the files, in their order: read once per build for each page's set."""
    return Stylesheet(tuple(rule for path in paths for rule in parse_css(path.read_text(encoding="utf-8")).rules))


def used_css(sheet: Stylesheet, html: str) -> str:
    """The rules that can style the page `html` is, in their order, without the custom
    properties nothing on it reads."""
    tokens, universe = page_tokens(html), sheet.universe
    # Pages of a kind hold the same names the rules ask for: work each answer out once.
    relevant = PageTokens(tokens.tags & universe.tags, tokens.classes & universe.classes, tokens.ids & universe.ids,
                          tokens.attributes & universe.attributes, tokens.values & universe.values)
    return _used_css(sheet, relevant, frozenset(_VARIABLE.findall(html)))


@functools.lru_cache(maxsize=256)
def _used_css(sheet: Stylesheet, tokens: PageTokens, read_by_page: frozenset[str]) -> str:
    parts = [part for rule in sheet.rules for part in rule.used(tokens)]
    return _serialize(parts, _uses(parts) | read_by_page)


# What the site's own scripts add to a page with a table once it has painted, before the
# reader acts (javascripts/tables.js, and the Tablesort it loads): styled from the first
# paint, so nothing moves when they run. tests/test_browser.py measures that nothing does.
AFTER_PAINT = {
    "tags": {"form", "label", "select", "option", "output"},
    "classes": {"ojs-filters", "ojs-filters__count"},
    "values": {("role", "search"), ("role", "columnheader"), ("aria-sort", "ascending"),
               ("aria-sort", "descending"), ("aria-label", "Filter the table"), ("aria-live", "polite")},
}
TABLE_CLASS = "ojs-table"


# Start tags and their attributes, read as the HTML parser would; inside a script a "<x"
# may read as a tag too, which only keeps more rules.
_START_TAG = re.compile(r"""<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*/?>""")
_TAG_ATTRIBUTE = re.compile(r"""([^\s=>/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


def page_tokens(html: str) -> PageTokens:
    tags, classes, ids, attributes, values = set(), {SCRIPTED_ROOT_CLASS}, set(), set(), set()
    for tag in _START_TAG.finditer(html):
        tags.add(tag.group(1).lower())
        for attribute in _TAG_ATTRIBUTE.finditer(tag.group(2)):
            name = attribute.group(1).lower()
            attributes.add(name)
            value = next((v for v in attribute.group(2, 3, 4) if v is not None), None)
            if value is None:
                continue
            value = unescape(value)
            values.add((name, value))
            if name == "class":
                classes.update(value.split())
            elif name == "id":
                ids.add(value)
    if TABLE_CLASS in classes:
        tags |= AFTER_PAINT["tags"]
        classes |= AFTER_PAINT["classes"]
        values |= AFTER_PAINT["values"]
        attributes |= {name for name, _ in AFTER_PAINT["values"]}
    return PageTokens(frozenset(tags), frozenset(classes), frozenset(ids), frozenset(attributes), frozenset(values))


def _attributes(tag: str) -> dict[str, str]:
    """A start tag's attributes, read with page_tokens' expressions."""
    start = _START_TAG.match(tag)
    if start is None:
        return {}
    return {a.group(1).lower(): unescape(next((v for v in a.group(2, 3, 4) if v is not None), ""))
            for a in _TAG_ATTRIBUTE.finditer(start.group(2))}


def stylesheet_links(html: str) -> list[tuple[re.Match, str]]:
    """The page's <link rel=stylesheet> tags in the head, with their addresses."""
    head_end = html.find("</head>")
    found = []
    for match in _LINK.finditer(html, 0, head_end if head_end >= 0 else len(html)):
        attributes = _attributes(match.group())
        if "stylesheet" in attributes.get("rel", "").lower().split():
            found.append((match, attributes.get("href", "")))
    return found


def resolve(href: str, page_path: str, base_path: str) -> str:
    """The build's file an address on a page names: page_path is the page's folder in the
    build ("errors/OJS-3001/"), base_path the build's root address ("/errors/")."""
    address = href.split("?", 1)[0].split("#", 1)[0]
    if address.startswith("/"):
        if not address.startswith(base_path):
            raise FirstPaintError(f"the stylesheet {href} is outside the site ({base_path})")
        return posixpath.normpath(address[len(base_path):])
    return posixpath.normpath(posixpath.join(page_path, address))


def wrap_tables(html: str) -> str:
    """Each table without a class in the boxes the theme's script puts it in: the first paint
    lays it out as the page will be once the script has come."""
    out, position, wrapped = [], 0, []
    for match in _TABLE_TAG.finditer(html):
        tag = match.group()
        out.append(html[position:match.start()])
        position = match.end()
        if tag.lower() == "</table>":
            out.append(tag + (TABLE_WRAPPERS[1] if wrapped and wrapped.pop() else ""))
        else:
            bare = "class" not in _attributes(tag)
            wrapped.append(bare)
            out.append((TABLE_WRAPPERS[0] if bare else "") + tag)
    out.append(html[position:])
    return "".join(out)


def inline_first_paint(html: str, page_path: str, base_path: str, stylesheets: dict[str, Path]) -> str:
    """The page with its tables wrapped as the theme will wrap them, its stylesheets' rules
    that can apply to it in a <style>, and the links in a <noscript> (see the module's
    docstring)."""
    html = wrap_tables(html)
    links = stylesheet_links(html)
    if not links:
        return html
    files = []
    for _, href in links:
        file = stylesheets.get(resolve(href, page_path, base_path))
        if file is None:
            raise FirstPaintError(f"the page {page_path or '/'} links the stylesheet {href}, which is not in the build")
        files.append(file)
    css = used_css(parse_stylesheets(tuple(files)), html)
    if re.search(r"</style", css, re.IGNORECASE):
        raise FirstPaintError(f"a stylesheet of {page_path or '/'} holds '</style', which would end the page's <style>")
    first, last = links[0][0], links[-1][0]
    between = html[first.end():last.start()]
    for match, _ in links[1:-1]:
        between = between.replace(match.group(), "", 1)
    tags = "".join(match.group() for match, _ in links)
    replacement = f"<style>{css}</style><noscript data-ojs-stylesheets>{tags}</noscript>"
    if len(links) == 1:
        return html[:first.start()] + replacement + html[first.end():]
    return html[:first.start()] + replacement + between + html[last.end():]
