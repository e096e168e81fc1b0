"""Charts drawn on the server as SVG (no script, nothing from a CDN): they print in the PDF as on the page."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

BAR = "#2f6f4f"
PREVIOUS = "#b9c7bf"


def _num(value) -> float:
    return float(value or 0)


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal | float) and value != int(value):
        return f"{value:.1f}"
    return f"{int(value):,}".replace(",", " ")


def bar_chart(rows, *, width: int = 480, label_width: int = 170) -> str:
    """Horizontal bars, one per ``{"label", "value", "previous"}`` (``previous``, when given, a thin grey bar
    below: the same period a year before). Suppressed values are drawn as "< 5" with no bar."""
    rows = list(rows)
    if not rows:
        return ""
    top = max(
        [_num(r["value"]) for r in rows if not r.get("suppressed")] + [_num(r.get("previous")) for r in rows] + [1]
    )
    bar_area = width - label_width - 60
    line = 26
    height = line * len(rows) + 6
    title = escape(gettext("Bars: this period; thin grey bars: the same period a year before."))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet"><title>{title}</title>'
    ]
    for i, row in enumerate(rows):
        y = 4 + i * line
        label = escape(str(row["label"]))[:40]
        parts.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" font-size="11">{label}</text>')
        if row.get("suppressed"):
            parts.append(f'<text x="{label_width + 4}" y="{y + 13}" font-size="11">&lt; 5</text>')
            continue
        w = bar_area * _num(row["value"]) / top
        parts.append(f'<rect x="{label_width}" y="{y + 2}" width="{w:.1f}" height="14" fill="{BAR}"/>')
        if row.get("previous") is not None:
            pw = bar_area * _num(row["previous"]) / top
            parts.append(f'<rect x="{label_width}" y="{y + 18}" width="{pw:.1f}" height="4" fill="{PREVIOUS}"/>')
        parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 13}" font-size="11">{_fmt(row["value"])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def progress_chart(value, target, *, width: int = 240) -> str:
    """A bar of ``value`` against ``target`` (e.g. jobs created against the year's target)."""
    if not target:
        return ""
    share = min(_num(value) / _num(target), 1.0)
    label = escape(gettext("%(share)s%% of the target") % {"share": round(_num(value) * 100 / _num(target))})
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" viewBox="0 0 {width} 14">'
        f"<title>{label}</title>"
        f'<rect x="0" y="2" width="{width}" height="10" fill="{PREVIOUS}" rx="2"/>'
        f'<rect x="0" y="2" width="{width * share:.1f}" height="10" fill="{BAR}" rx="2"/></svg>'
    )
