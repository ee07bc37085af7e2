"""What a browser would post back from a page's form, untouched: inputs, checked boxes, selected options, texts."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._select_multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "data": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        data = self._form["data"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    data.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                data.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._select_multiple = a.get("name"), "multiple" in a
        elif tag == "option" and self._select and "selected" in a:
            data.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            data.append((self._textarea, ""))

    def handle_data(self, text: str) -> None:
        if self._textarea and self._form is not None:
            name, value = self._form["data"][-1]
            self._form["data"][-1] = (name, value + text)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._form is not None:
            name, value = self._form["data"][-1]
            self._form["data"][-1] = (name, value.removeprefix("\n"))  # as browsers do
            self._textarea = None


def post_forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post"]


def form_data(html: str, index: int = -1) -> dict[str, list[str]]:
    """The data of the page's POST form (the last one by default: the page's own, after the log-out form), as a
    dict of lists (Django's test client posts a list as repeated fields), csrf token left out."""
    form = post_forms(html)[index]
    out: dict[str, list[str]] = {}
    for name, value in form["data"]:
        if name != "csrfmiddlewaretoken":
            out.setdefault(name, []).append(value)
    return out
