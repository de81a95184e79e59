"""Files the reader downloads: one CSV encoder for every table. No ``st.*``.

CSV is UTF-8 with a byte-order mark, so Excel opens Chinese text correctly. Text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return; OWASP "CSV injection") get a leading apostrophe; numbers are written as numbers.
"""

from __future__ import annotations

import io
import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SAFE_NAME = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")


def neutralize_formula(value: object) -> object:
    """A text cell a spreadsheet would evaluate, made literal with a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as CSV bytes (UTF-8 with BOM, no index, formulas neutralised)."""
    safe = frame.copy()
    safe.columns = [neutralize_formula(str(c)) for c in safe.columns]
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralize_formula)
    return safe.to_csv(index=False).encode("utf-8-sig")


def file_stem(*parts: object) -> str:
    """A file name stem: ``("heatmap", "named", "lq", "en")`` → ``heatmap_named_lq_en``."""
    text = "_".join(str(p) for p in parts if str(p))
    return _SAFE_NAME.sub("-", text).strip("-_") or "export"


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """The table as an XLSX workbook (one sheet). Text cells are stored as text, never as
    formulas (a cell starting with ``=`` stays literal text); empty cells stay empty."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    ws = book.active
    ws.title = (_SAFE_NAME.sub("-", sheet).strip("-_") or "data")[:31]

    def put(row: int, col: int, value: object) -> None:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return
        if isinstance(value, str):
            cell = ws.cell(row=row, column=col, value=ILLEGAL_CHARACTERS_RE.sub(" ", value))
            cell.data_type = "s"  # text, even when it starts with "="
            return
        ws.cell(row=row, column=col, value=value.item() if hasattr(value, "item") else value)

    for j, name in enumerate(frame.columns, start=1):
        put(1, j, str(name))
    for i, values in enumerate(frame.itertuples(index=False), start=2):
        for j, value in enumerate(values, start=1):
            put(i, j, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
