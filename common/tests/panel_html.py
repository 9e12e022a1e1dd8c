"""The panel as a browser reads it, parsed (html.parser), for the tests of its markup."""

from html.parser import HTMLParser


class Panel(HTMLParser):
    """What #db-panel shows: chips, their statements and notes, the diagram's boxes.

    ``chips``: one dict per details.db-alias (alias, state, summary, sql, notes) in page
    order; ``boxes``: {alias: data-state} of the diagram; ``under``: the texts of the
    paragraphs under it; ``texts``: every text shown in the panel, decoded; ``outside``:
    every text outside it.
    """

    def __init__(self, html):
        super().__init__()
        self.chips, self.boxes, self.texts, self.outside, self.under = [], {}, [], [], []
        self.aside = self.inside = None
        self.depth = 0
        self.svg_label = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "db-panel":
            self.aside = attrs
        if self.aside is not None and tag == "aside":
            self.depth += 1
        classes = attrs.get("class", "").split()
        if "db-alias" in classes:
            self.chips.append({"alias": attrs["data-alias"], "state": attrs["data-state"]})
            self.chips[-1].update(summary="", sql=[], notes=[])
        elif "db-box" in classes:
            self.boxes[attrs["data-alias"]] = attrs["data-state"]
        elif "db-diagram" in classes:
            self.svg_label = attrs.get("aria-label")
        elif "db-whole-note" in classes:
            self.under.append("")
            self.inside = "under"
        if self.chips and (tag in ("summary", "pre") or "db-note" in classes):
            self.inside = {"summary": "summary", "pre": "sql", "p": "notes"}[tag]
            if self.inside != "summary":
                self.chips[-1][self.inside].append("")

    def handle_endtag(self, tag):
        if tag in ("summary", "pre", "p"):
            self.inside = None
        if self.aside is not None and tag == "aside":
            self.depth -= 1

    def handle_data(self, data):
        (self.texts if self.depth else self.outside).append(data)
        if self.inside == "under":
            self.under[-1] += data
        elif self.inside == "summary":
            self.chips[-1]["summary"] += data
        elif self.inside:
            self.chips[-1][self.inside][-1] += data
