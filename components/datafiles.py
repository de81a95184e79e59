"""What the data files are, below the loader and its schemas: their names, the id patterns and
limits both check, and the :class:`Problem` a check reports (``components.data`` loads,
``components.schemas`` holds the pandera schemas; both import from here). No Streamlit here."""

from __future__ import annotations

import re
from dataclasses import dataclass

FILES: dict[str, str] = {
    "clusters": "clusters.csv",
    "organizations": "organizations.csv",
    "sector_continent": "sector_continent.csv",
    "policies": "policies.csv",
    "facts": "facts.csv",
    "trends": "trends.csv",
    "sections": "sections.csv",
    "recommendation_trends": "recommendation_trends.csv",
}
ANNEX_MAX = 150

SLUG_RE = r"[a-z0-9]+(?:-[a-z0-9]+)*"
REGION_SLUG_RE = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"  # facts.region: slugs such as USA-MEX, APAC-DEV
TEXT_MAX = 1000  # characters in any text cell (the report's longest summary has about 600)
VALUE_LIMIT = 60  # characters of an offending value quoted in a message


def quote_value(value: object, limit: int = VALUE_LIMIT) -> str:
    """A cell value as quoted in messages: one line, at most ``limit`` characters (``…`` cut)."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem (or, with ``warning``, a suspicious but valid value) in a data file.

    ``code`` names the message in the catalogue (``data.problem.<code>``, filled from
    ``params``); ``message`` is the same in English for logs and :class:`DataError`. ``row`` is
    the 1-based data row (the line after the header is row 1), ``value`` the offending cell.
    """

    file: str
    code: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    warning: bool = False

    def __str__(self) -> str:
        where = [f"data file {self.file}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        said = f"value '{quote_value(self.value)}' " if self.value is not None else ""
        text = ", ".join(where) + f": {said}{self.message}"
        return text if text.endswith(".") else text + "."

    @property
    def fmt(self) -> dict[str, str]:
        """``params`` as a dict, for the catalogue's placeholders."""
        return dict(self.params)
