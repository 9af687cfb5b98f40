"""What a reader downloads stays small, and the search index holds no repeated boilerplate.

Sizes, not times: the search latency is measured by bench/search_latency.py.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import pytest

from conftest import CODES, code_id

# What a reader downloads: the page compressed, as every host here serves it, without the
# styles for its first paint that it holds (their budget is test_first_paint.py's).
CODE_PAGE_BUDGET = 12 * 1024  # with the script it holds that loads the rest (on-demand.js)
INDEX_BUDGET_PER_CODE = 2 * 1024


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_a_code_page_stays_under_its_budget(site, entry):
    html = site.file_for(f"errors/{entry['code']}/").read_text(encoding="utf-8")
    markup = re.sub(r"<style>.*?</style>", "<style></style>", html, count=1, flags=re.S)
    size = len(gzip.compress(markup.encode("utf-8"), compresslevel=9))
    assert size < CODE_PAGE_BUDGET, f"{size} bytes compressed"


def _index(site) -> dict:
    return json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_the_search_index_stays_under_its_budget(site):
    size = len(json.dumps(_index(site), separators=(",", ":")).encode("utf-8"))
    assert size < INDEX_BUDGET_PER_CODE * len(CODES), f"{size / len(CODES):.0f} bytes a code"


def test_no_paragraph_of_the_search_index_is_repeated(site):
    seen = Counter()
    for doc in _index(site)["docs"]:
        for block in re.split(r"</(?:p|li|dd|td)>", doc["text"]):
            text = " ".join(re.sub(r"<[^>]+>", " ", block).split())
            if len(text) > 40:
                seen[text] += 1
    assert {text[:80]: count for text, count in seen.items() if count > 2} == {}
