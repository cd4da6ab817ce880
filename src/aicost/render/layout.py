"""How a table fits a terminal of a given width: which columns, under which headers, how wide — or one record per
block when even the essential columns do not fit.  Pure: `rich_format` draws what `fit` decides; the piped plain
table (`table_format`) does not use it and stays as wide as its content.

Rules, in this order, the first layout that fits wins:
1. Every column at its full width; an id, an amount, a count, a ratio is never wrapped or cut.  Only columns
   declared `wrap` (free text: notes, reasons) may wrap, between words, never inside one.
2. Columns declared `hide_zero` whose every cell is 0 are left out from the start (the footer says so).
3. As the width shrinks: the bar goes first; then the headers take their `short` form; then columns are left
   out by `priority`, the highest number first, right to left among equals (`view.ESSENTIAL` columns never);
   the columns of a `group` (a breakdown) all at once.
   The footer names what was left out.
4. When the essential columns still do not fit, a vertical layout: one block per row, `Header  value` lines.  So too
   a table of a few rows (`FEW_ROWS`: a workload's streams, a model's periods) that would have to leave out a main
   column (what a row is and how it is bought, not a breakdown or a note): a few blocks show everything, where the
   table would show little more than its ids.  A wider terminal so never shows fewer main columns than a narrower.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from decimal import Decimal
from typing import NamedTuple

from .view import ESSENTIAL, MAIN, Cell, Column, Kind, Table, cell_text

GAP = 2  # spaces between two columns
BAR_MAX = 16  # a bar's width on a terminal (eighth-blocks), at most
BAR_MIN = 6  # narrower than this, the bar is left out
WRAP_MIN = 12  # free text wraps no narrower than this (or its whole text when shorter), nor inside a word
FEW_ROWS = 8  # a table of at most this many rows turns vertical rather than leave out a main column


class Layout(NamedTuple):
    columns: tuple[int, ...]  # the table's columns shown, by index, in order (all of them when vertical)
    headers: tuple[str, ...]  # their headers, full or short
    widths: tuple[int, ...]  # their widths (a bar's: its blocks and room for a `+`)
    vertical: bool  # one block per row instead of a table
    narrowed: tuple[str, ...]  # headers of the columns left out for want of width
    zero: tuple[str, ...]  # headers of the `hide_zero` columns left out because every cell is 0
    unknown: tuple[str, ...] = ()  # headers of the `hide_unknown` columns left out because every cell is unknown


def cells(text: str) -> int:
    """How many terminal columns `text` takes: a wide (East Asian) character two, a combining mark none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


def _is_zero(value: Cell) -> bool:
    return value is None or (not isinstance(value, str) and Decimal(value) == 0)


def zero_columns(table: Table) -> list[int]:
    """The `hide_zero` columns whose every cell (total included) is 0 or absent, at least one being 0."""
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    return [index for index, column in enumerate(table.columns)
            if column.hide_zero and column.kind is not Kind.BAR and rows
            and all(_is_zero(row[index]) for row in rows) and any(row[index] is not None for row in rows)]


def unknown_columns(table: Table) -> list[int]:
    """The `hide_unknown` columns whose every row holds no value (— on a terminal), when there are rows."""
    return [index for index, column in enumerate(table.columns)
            if column.hide_unknown and table.rows and all(row[index] is None for row in table.rows)
            and (table.total is None or table.total[index] is None)]


def _texts(table: Table, currency: str) -> list[list[str]]:
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    return [["" if column.kind is Kind.BAR else cell_text(row[index], column.kind, currency) for row in rows]
            for index, column in enumerate(table.columns)]


def _header(column: Column, short: bool) -> str:
    return (column.short or column.header) if short else column.header


def _longest_word(texts: list[str]) -> int:
    """The widest run of text a line may not break (the spaces of KEPT_TOGETHER hold their words together)."""
    return max((cells(word) for text in texts for word in re.sub(KEPT_TOGETHER, "\x00", text).split()), default=0)


def bar_over(table: Table, index: int) -> bool:
    """Whether a bar column holds a fraction past 1 (drawn full, with a `+`)."""
    return any(isinstance(value, int | Decimal) and value > 1 for value in (row[index] for row in table.rows))


def _drop_units(columns: tuple[Column, ...], shown: list[int]) -> list[list[int]]:
    """What is left out, one unit at a time, least important first: a column, or every column of its group."""
    units: list[list[int]] = []
    taken: set[int] = set()
    for index in sorted((i for i in shown if columns[i].kind is not Kind.BAR and columns[i].priority > ESSENTIAL),
                        key=lambda i: (-columns[i].priority, -i)):
        if index not in taken:
            group = columns[index].group
            unit = [j for j in reversed(shown) if columns[j].group == group] if group else [index]
            units.append(unit)
            taken.update(unit)
    return units


def _bounds(table: Table, texts: list[list[str]], kept: list[int], headers: list[str],
            floor: int) -> tuple[list[int], list[int]]:
    """The least and the most width of each kept column: a bar between its bounds; free text wraps to its longest
    word and no narrower than `floor` (or its whole text), but only once the bar is gone; anything else at its
    natural width."""
    columns = table.columns
    least, most = [], []
    bar_kept = any(columns[i].kind is Kind.BAR for i in kept)
    for index, header in zip(kept, headers, strict=True):
        column = columns[index]
        if column.kind is Kind.BAR:
            extra = 1 if bar_over(table, index) else 0
            least.append(max(BAR_MIN + extra, cells(header)))
            most.append(max(BAR_MAX + extra, cells(header)))
            continue
        natural = max([cells(header), *(cells(text) for text in texts[index])])
        most.append(natural)
        wrapped = max(cells(header), _longest_word(texts[index]), min(natural, floor))
        least.append(wrapped if column.wrap and not bar_kept else natural)
    return least, most


def _widths(columns: tuple[Column, ...], kept: list[int], least: list[int], most: list[int], width: int) -> list[int]:
    """The spare width shared out, first to the columns that are not a bar."""
    widths = list(least)
    spare = width - sum(least) - GAP * (len(kept) - 1)
    for position in sorted(range(len(kept)), key=lambda p: columns[kept[p]].kind is Kind.BAR):
        more = min(spare, most[position] - widths[position])
        widths[position] += more
        spare -= more
    return widths


def _horizontal(table: Table, texts: list[list[str]], shown: list[int], stages: list[tuple[list[int], bool]],
                width: int, floor: int) -> Layout | None:
    """The first stage whose columns fit `width`, free text wrapping no narrower than `floor`; None when none does,
    or when a table of a few rows would have to leave out a main column."""
    columns = table.columns
    for dropped, short in stages:
        kept = [index for index in shown if index not in dropped]
        if not kept:
            break
        headers = [_header(columns[i], short) for i in kept]
        least, most = _bounds(table, texts, kept, headers, floor)
        if sum(least) + GAP * (len(kept) - 1) > width:
            continue
        narrowed = [i for i in dropped if columns[i].kind is not Kind.BAR]
        if len(table.rows) <= FEW_ROWS and any(columns[i].priority <= MAIN for i in narrowed):
            return None  # a few rows that would lose a main column: one block per row shows them whole
        return Layout(tuple(kept), tuple(headers), tuple(_widths(columns, kept, least, most, width)), False,
                      tuple(columns[i].header or columns[i].key for i in narrowed), ())
    return None


def fit(table: Table, width: int, currency: str = "USD") -> Layout:
    """The layout of `table` on a terminal `width` columns wide (see the module's rules)."""
    columns = table.columns
    texts = _texts(table, currency)
    zero = zero_columns(table)
    unknown = unknown_columns(table)
    shown = [index for index in range(len(columns)) if index not in zero and index not in unknown]
    bars = [index for index in shown if columns[index].kind is Kind.BAR]
    units = _drop_units(columns, shown)
    drop_sets = [bars + [i for unit in units[:count] for i in unit] for count in range(len(units) + 1)]
    # (left out, short headers?) from the widest layout to the narrowest: the bar first, at full headers and with
    # free text unwrapped; then short headers; then one unit more at a time, full headers again when they fit
    stages: list[tuple[list[int], bool]] = [([], False)]
    stages += [(dropped, short) for dropped in drop_sets for short in (False, True)]
    zero_headers = tuple(columns[i].header for i in zero)
    unknown_headers = tuple(columns[i].header for i in unknown)
    # free text no narrower than WRAP_MIN, columns left out first; narrower (to its longest word) only rather than
    # turn vertical
    for floor in (WRAP_MIN, 0):
        found = _horizontal(table, texts, shown, stages, width, floor)
        if found is not None:
            return found._replace(zero=zero_headers, unknown=unknown_headers)
    kept = [index for index in shown if columns[index].kind is not Kind.BAR]
    return Layout(tuple(kept), tuple(columns[i].header for i in kept), (), True, (), zero_headers, unknown_headers)


# never split at these spaces: 86.4 %, CHF 1,200.00, 10.00 USD, input > 272,000, x 1.1
KEPT_TOGETHER = r" (?=%)|(?<=\b[A-Z]{3}) (?=-?\d)|(?<=\d) (?=[A-Z]{3}\b)|(?<=\w) (?=[<>] \d)|(?<=[<>]) (?=\d)|(?<=\bx) (?=\d)"
QUOTED = r"(?<![\w'])'[^'\n]+'(?![\w'])"  # a quoted name: 'my stream' (not the apostrophe of "model's")


def _glued(text: str, width: int) -> str:
    """`text` with the spaces that must not break a line turned into NULs: those of KEPT_TOGETHER, and those inside a
    quoted name no wider than half the line."""
    text = re.sub(KEPT_TOGETHER, "\x00", text)
    return re.sub(QUOTED, lambda m: m.group(0).replace(" ", "\x00") if len(m.group(0)) <= width // 2 else m.group(0),
                  text)


def wrap_line(text: str, width: int) -> list[str]:
    """A line of text (summary, title, footer, a message on stderr) as lines of at most `width` characters, broken
    between words only: never inside an id, an amount, a date, a percentage, a URL or a short quoted name.  A single
    word wider than the terminal (a long URL) gets a line of its own and runs past the edge, whole (a terminal folds
    it there, and it still copies as one word)."""
    if len(text) <= width:
        return [text]
    glued = _glued(text, width)
    lines = textwrap.wrap(glued, width=max(width, 1), break_on_hyphens=False, break_long_words=False,
                          drop_whitespace=True) or [glued]
    return [line.replace("\x00", " ") for line in lines]


def vertical_lines(table: Table, layout: Layout, width: int, currency: str = "USD") -> list[tuple[str, bool]]:
    """The vertical layout: per row a block of `Header  value` lines (empty cells left out), blocks apart by an
    empty line; each line with whether it belongs to the total row.  Free text wraps between words under its
    value; an id or an amount is never split (a single word wider than the terminal runs past its edge)."""
    columns = [table.columns[i] for i in layout.columns]
    labels = [column.header or column.key for column in columns]
    if max((cells(label) for label in labels), default=0) > width // 2:
        labels = [column.short or column.header or column.key for column in columns]
    label_width = max((cells(label) for label in labels), default=0)
    indent = " " * (label_width + GAP)
    records = [(row, False) for row in table.rows] + ([(table.total, True)] if table.total is not None else [])
    lines: list[tuple[str, bool]] = []
    for number, (row, total) in enumerate(records):
        if number:
            lines.append(("", False))
        for index, column, label in zip(layout.columns, columns, labels, strict=True):
            text = cell_text(row[index], column.kind, currency)
            if not text:
                continue
            first = label + " " * (label_width - cells(label) + GAP)
            wrapped = wrap_line(text, max(width - len(indent), 1))
            lines.append((first + wrapped[0], total))
            lines.extend((indent + more, total) for more in wrapped[1:])
    return lines


def footer_lines(tables: tuple[Table, ...], layouts: list[Layout], width: int) -> list[str]:
    """What the footer says of the columns a terminal of `width` columns left out."""
    zero = list(dict.fromkeys(header for layout in layouts for header in layout.zero))
    unknown = list(dict.fromkeys(header for layout in layouts for header in layout.unknown))
    narrowed = list(dict.fromkeys(header for layout in layouts for header in layout.narrowed))
    lines = []
    if zero:
        lines.append(f"0 on every row, not shown: {', '.join(zero)}")
    if unknown:
        lines.append(f"— on every row, not shown: {', '.join(unknown)}")
    if narrowed:
        lines.append(f"not shown at {width} columns: {', '.join(narrowed)} (a wider terminal, or --format csv or json, "
                     "shows them)")
    if any(layout.vertical for layout in layouts):
        lines.append(f"one block per row: the table is wider than {width} columns")
    return lines
