"""Helpers shared by the grader's tests."""
from html.parser import HTMLParser

import pytest


class _Rows(HTMLParser):
    """The text of each table row's cells, and the tags and attributes seen, of an HTML document."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags, self._cell = [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def parse_html():
    """parse_html(text) -> a parser with .rows (cell texts per <tr>) and .tags ((tag, attributes) in order)."""
    def parse(text):
        parser = _Rows()
        parser.feed(text)
        parser.close()
        return parser
    return parse
