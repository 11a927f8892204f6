"""The geometry of the reports' charts, drawn by templates/reports/_charts.html as inline SVG.

Every chart has an axis with ticks and its unit, and every label is whole: wrapped at spaces, or shortened with an
ellipsis only where a name does not fit even so (the template then keeps the full text as a tooltip). Money is never
shortened. Labels sit above their bars rather than beside them, so they have the chart's whole width, also on a
phone, where a chart is scaled down to the screen (its ``viewBox``). The width of a text is estimated from the
advance widths of Arial (Liberation Sans has the same), the fonts the pages ask for; a browser measures, this code
cannot.
"""
from __future__ import annotations

import math
import unicodedata
from datetime import date

from babel.dates import format_date

from workflow.i18n import _, current_language
from workflow.letters import rupiah
from workflow.reports.environment import long_date, number

FONT = 13  # the labels' size, in the chart's own units
LINE = 16  # the height of a line of label
BAR = 14
LEFT = 10  # room for half of the first tick's label
# Advance widths of Arial in thousandths of an em, for the characters of names, dates and amounts.
WIDTHS = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
                                                 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611))) | dict(
    zip("abcdefghijklmnopqrstuvwxyz", (556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556,
                                       556, 333, 500, 278, 556, 500, 722, 500, 500, 500))) | {
    " ": 278, ".": 278, ",": 278, ":": 278, ";": 278, "!": 278, "'": 191, "/": 278, "(": 333, ")": 333, "-": 333,
    "·": 278, "…": 1000, "&": 667, "%": 889, "@": 1015}
SAFETY = 1.08  # a font that is not quite Arial's twin still fits


def text_width(text: str, size: float = FONT) -> float:
    """The estimated width of ``text`` in the chart's units."""
    total = 0
    for char in text:
        base = unicodedata.normalize("NFD", char)[:1]  # é is as wide as e
        if base.isdigit():
            total += 556
        elif unicodedata.east_asian_width(char) in "WF":
            total += 1000  # a Chinese, Japanese or Korean character is square
        else:
            total += WIDTHS.get(base, 611)
    return total * size / 1000 * SAFETY


def fit(text: str, width: float, lines: int = 2, size: float = FONT) -> dict:
    """``text`` in at most ``lines`` lines no wider than ``width``: wrapped at spaces, and shortened with an
    ellipsis where it still does not fit; ``shortened`` says the template must keep the full text as a tooltip."""
    words, out = text.split(), []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out[-1] += " " + " ".join(words)
    shown = [_shorten(line, width, size) for line in out]
    return {"lines": shown, "full": text, "shortened": shown != out}


def _shorten(line: str, width: float, size: float) -> str:
    if text_width(line, size) <= width:
        return line
    while line and text_width(line + "…", size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def nice_ticks(top: float, integer: bool, most: int = 6) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2 or 5 (2.5 too, unless counting) times a power
    of ten, at most ``most`` of them."""
    if top <= 0:
        return [0, 1]
    raw = top / (most - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw)
    if integer:
        step = max(1, round(step))
    count = math.ceil(top / step - 1e-9)
    return [_plain(i * step) for i in range(count + 1)]


def _plain(value: float) -> float | int:
    """2.0 as 2, so that a tick reads ``2``; 2.5 stays."""
    value = round(value, 9)
    return int(value) if value == int(value) else value


def bar_chart(values: dict[str, float], unit: str = "", money: bool = False, width: int = 360) -> dict:
    """A horizontal bar chart: each label above its bar, the value in full at the bar's end, an axis below with
    ticks and the unit. ``unit`` names what is counted (money brings its own: rupiah, in millions or billions)."""
    shown = {label: rupiah(value) if money else number(value) for label, value in values.items()}
    top = max(values.values(), default=0)
    divisor, unit = _money_unit(top) if money else (1, unit)
    ticks = nice_ticks(top / divisor, integer=not money)
    tick_labels = [number(t) for t in ticks]
    room = max([text_width(s) + 6 for s in shown.values()] + [text_width(tick_labels[-1], FONT - 2) / 2 + 2])
    plot = width - LEFT - room
    rows, y = [], 4
    for label, value in values.items():
        text = fit(label, width - LEFT)
        bar_y = y + LINE * len(text["lines"]) + 2
        length = value / divisor / ticks[-1] * plot
        rows.append({"label": text, "label_y": [y + LINE * (n + 1) - 4 for n in range(len(text["lines"]))],
                     "value": shown[label], "y": bar_y, "w": round(length, 1), "value_x": round(LEFT + length + 4, 1),
                     "value_y": bar_y + BAR - 3})
        y = bar_y + BAR + 10
    axis = _axis([(LEFT + t / ticks[-1] * plot, label) for t, label in zip(ticks, tick_labels)], y, unit, width)
    return {"width": width, "height": axis["bottom"], "display_width": width, "display_height": axis["bottom"],
            "bar_height": BAR, "left": LEFT, "rows": rows, "axis": axis}


def _money_unit(top: float) -> tuple[int, str]:
    """Axis ticks in millions or billions of rupiah, since a tick of ``Rp1.500.000.000,00`` does not fit."""
    if top >= 10 ** 9:
        return 10 ** 9, _("billion rupiah")
    if top >= 10 ** 6:
        return 10 ** 6, _("million rupiah")
    return 1, _("rupiah")


def _axis(ticks: list[tuple[float, str]], y: float, unit: str, width: int) -> dict:
    """A horizontal axis at ``y``: its line, tick marks with their labels below (moved in where one would stick out
    of the chart), and the unit under them."""
    drawn = []
    for x, label in ticks:
        half = text_width(label, FONT - 2) / 2
        drawn.append({"x": round(x, 1), "label": label, "label_x": round(min(max(x, half), width - half), 1)})
    return {"y": y, "x1": ticks[0][0], "x2": ticks[-1][0], "ticks": drawn, "label_y": y + 16, "unit": unit,
            "unit_x": round((ticks[0][0] + ticks[-1][0]) / 2, 1) if len(ticks) > 1 else width / 2, "unit_y": y + 34,
            "bottom": y + 40}


def time_ticks(start: date, end: date, most: int = 7) -> tuple[list[tuple[date, str]], str]:
    """Ticks on the first day of a month between ``start`` and ``end``, every 1, 2, 3 or 6 months, or on 1 January
    every 1, 2, 5, 10... years, at most ``most`` of them; with the unit they are in."""
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200) if months / s < most)
    firsts = [date(start.year + m // 12, m % 12 + 1, 1) for m in range(start.month, months + start.month + 1)]
    ticks = [day for day in firsts if start <= day <= end and (day.year * 12 + day.month - 1) % step == 0]
    if step >= 12:
        return [(day, str(day.year)) for day in ticks], _("year (a tick marks 1 January)")
    return ([(day, format_date(day, "MMM y", locale=current_language())) for day in ticks],
            _("month (a tick marks its first day)"))


def timeline_chart(rows: list[dict], start: date, end: date, labels: dict[str, str], width: int = 480,
                   display_width: int = 640) -> dict:
    """A Gantt-like chart of the time each case spent in each stage: drawn narrow, so that its text stays
    readable on a phone, and shown wider where there is room (``display_width``).

    :param rows: per case, ``ref``, ``partner`` and ``segments``: ``(stage, from, to)`` spans.
    :param labels: each stage's name for people, for the tooltips.
    """
    span = max((end - start).days, 1)
    plot = width - LEFT - 20

    def x_of(day: date) -> float:
        return LEFT + min(max((day - start).days, 0), span) / span * plot

    days, unit = time_ticks(start, end)
    ticks = [(x_of(day), label) for day, label in days] or [(x_of(start), long_date(start))]
    top = 40  # an axis above the rows as well, for the first rows of a long chart
    drawn = []
    for n, row in enumerate(rows):
        y = top + n * 32
        text = fit(f"{row['ref']} · {row['partner']}", width - LEFT, lines=1)
        drawn.append({"label": text, "label_y": y + 12, "y": y + 16, "segments": [
            {"stage": stage, "x": round(x_of(since), 1),
             "w": round(max(2.0, x_of(until) - x_of(since)) if until else 4.0, 1),
             "tip": _segment_tip(text["full"], labels[stage], since, until)}
            for stage, since, until in row["segments"]]})
    bottom = top + len(rows) * 32 + 6
    axis = _axis(ticks, bottom, unit, width)
    above = {"y": top - 6, "label_y": top - 12, "ticks": axis["ticks"], "x1": LEFT, "x2": LEFT + plot}
    return {"width": width, "height": axis["bottom"], "display_width": display_width,
            "display_height": round(axis["bottom"] * display_width / width), "rows": drawn,
            "axis": axis | {"x1": LEFT, "x2": LEFT + plot}, "axis_above": above, "top": top, "bar_height": 10}


def _segment_tip(case: str, stage: str, since: date, until: date | None) -> str:
    """The tooltip of a span: the stage, how long and when; a closed case's last span has no end."""
    if until is None:
        return _("{case}: {stage} since {since}").format(case=case, stage=stage, since=long_date(since))
    return _("{case}: {stage}, {days} days ({since} to {until})").format(
        case=case, stage=stage, days=number((until - since).days), since=long_date(since), until=long_date(until))


def paired_chart(groups: list[dict], unit: str = "", money: bool = False, width: int = 420) -> dict:
    """Bars in groups, for a figure beside what it is measured against (a year's target and figure, a budget source's
    planned and spent): each group's label above its bars, each bar's text at its end, an axis below with ticks and
    the unit. A bar without a value (None: not recorded) is not drawn, and never as zero: its text stands in its
    place, in grey.

    :param groups: ``{"label", "bars": [{"kind", "value", "text"}]}``: ``kind`` names how the template draws the bar
        (outlined for what was aimed at, filled for what happened); ``value`` a number or a decimal.
    """
    values = [float(bar["value"]) for group in groups for bar in group["bars"] if bar["value"] is not None]
    top = max(values, default=0)
    divisor, unit = _money_unit(top) if money else (1, unit)
    ticks = nice_ticks(top / divisor, integer=not money and all(value == int(value) for value in values))
    tick_labels = [number(t) for t in ticks]
    room = max([text_width(bar["text"]) + 6 for group in groups for bar in group["bars"] if bar["value"] is not None]
               + [text_width(tick_labels[-1], FONT - 2) / 2 + 2])
    plot = width - LEFT - room
    rows, y = [], 4
    for group in groups:
        label = fit(group["label"], width - LEFT)
        row = {"label": label, "label_y": [y + LINE * (n + 1) - 4 for n in range(len(label["lines"]))], "bars": []}
        y += LINE * len(label["lines"]) + 2
        for bar in group["bars"]:
            if bar["value"] is None:
                text = fit(bar["text"], width - LEFT, size=FONT - 1)
                row["bars"].append({"kind": bar["kind"], "missing": True, "text": text,
                                    "text_y": [y + LINE * n + 11 for n in range(len(text["lines"]))]})
                y += LINE * len(text["lines"])
                continue
            length = float(bar["value"]) / divisor / ticks[-1] * plot
            row["bars"].append({"kind": bar["kind"], "missing": False, "y": y, "w": round(length, 1),
                                "text": bar["text"], "text_x": round(LEFT + length + 4, 1), "text_y": y + BAR - 3})
            y += BAR + 3
        rows.append(row)
        y += 8
    axis = _axis([(LEFT + t / ticks[-1] * plot, label) for t, label in zip(ticks, tick_labels)], y, unit, width)
    return {"width": width, "height": axis["bottom"], "display_width": width, "display_height": axis["bottom"],
            "bar_height": BAR, "left": LEFT, "rows": rows, "axis": axis}
