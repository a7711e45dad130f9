"""One grouped bar chart as a standalone SVG string, standard library only (report.py's charts).

bar_chart(title, groups, series, values) draws one cluster of bars per group, one bar per series, in
the Okabe-Ito colours (told apart with the common kinds of colour blindness); None values are left
out. Optional horizontal reference lines (goal, peak) go into the legend and are labelled at the
right end. Text widths are estimated (no font metrics), generously, to keep labels from overlapping.
"""
import math
from xml.sax.saxutils import escape

OKABE_ITO = ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#000000"]
WIDTH, PLOT_H, FONT = 760, 300, 12
FAMILY = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""


def text_w(s, size=FONT):
    return 0.62 * size * len(s)


def nice_ticks(top):
    """Linear ticks 0, step, ... up to the first tick at or above top, 4 to 8 of them."""
    top = top if top > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(top / 5))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if top / (m * magnitude) <= 7)
    return [round(i * step, 12) for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def log_ticks(low, high):
    """1, 2, 5 × 10^n from the power of ten at or below low to the first tick at or above high."""
    ticks, e = [], math.floor(math.log10(low))
    while len(ticks) < 2 or ticks[-1] < high:
        ticks.append((1, 2, 5)[len(ticks) % 3] * 10 ** (e + len(ticks) // 3))
    return ticks


def number(v):
    return "%.0f" % v if abs(v) >= 100 or v == int(v) else "%.1f" % v


def bar_chart(title, groups, series, values, y_label, subtitle="", lines=(), log=False, colours=None):
    """groups: x labels ("\\n" splits a label in lines); series: legend names; values[s][g]: float or
    None; lines: (legend name, value, colour, dash) horizontal references; log: logarithmic y axis."""
    colours = colours or OKABE_ITO
    shown = [v for row in values for v in row if v is not None and (v > 0 or not log)]
    refs = [(name, v, c, d) for name, v, c, d in lines if v is not None]
    high = max(shown + [v for _, v, _, _ in refs] + [0.0])
    ticks = log_ticks(min(shown + [v for _, v, _, _ in refs] or [1.0]), high) if log else nice_ticks(high * 1.04)
    left, right, top = 16 + FONT + max(text_w(number(t)) for t in ticks) + 8, 18, 44 + (14 if subtitle else 0)
    plot_w = WIDTH - left - right
    group_w = plot_w / max(1, len(groups))
    labels = [g.split("\n") for g in groups]
    widest = max((text_w(part) for parts in labels for part in parts), default=0)
    rotate = widest > group_w - 6
    # legend: swatches then reference lines, wrapped to the width
    entries = [(name, "bar", colours[i % len(colours)], None) for i, name in enumerate(series)]
    entries += [(name, "line", c, d) for name, _, c, d in refs]
    legend, x, y = [], left, top
    for name, kind, colour, dash in entries:
        w = 22 + text_w(name) + 18
        if x + w > WIDTH - right and x > left:
            x, y = left, y + 18
        legend.append((x, y, name, kind, colour, dash))
        x += w
    plot_top = y + 26
    x_label_h = (widest * 0.66 + FONT + 6) if rotate else (FONT + 4) * max(len(p) for p in labels or [[""]])
    height = int(plot_top + PLOT_H + 10 + x_label_h + 10)
    base = plot_top + PLOT_H

    def y_of(v):
        if log:
            lo, hi = math.log10(ticks[0]), math.log10(ticks[-1])
            return base - PLOT_H * (math.log10(max(v, ticks[0])) - lo) / (hi - lo)
        return base - PLOT_H * v / ticks[-1]

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" '
           '%s font-size="%d">' % (WIDTH, height, WIDTH, height, FAMILY, FONT),
           "<title>%s</title>" % escape(title + (" (" + subtitle + ")" if subtitle else "")),
           '<rect width="100%" height="100%" fill="#ffffff"/>',
           '<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>' % (left, escape(title))]
    if subtitle:
        out.append('<text x="%d" y="40" fill="#444444">%s</text>' % (left, escape(subtitle)))
    for x, y, name, kind, colour, dash in legend:
        if kind == "bar":
            out.append('<rect x="%.1f" y="%.1f" width="14" height="12" fill="%s"/>' % (x, y - 10, colour))
        else:
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2" '
                       'stroke-dasharray="%s"/>' % (x - 2, y - 4, x + 16, y - 4, colour, dash))
        out.append('<text x="%.1f" y="%.1f">%s</text>' % (x + 20, y, escape(name)))
    for t in ticks:                                             # gridlines and y tick labels
        out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#dddddd"/>'
                   % (left, y_of(t), WIDTH - right, y_of(t)))
        out.append('<text x="%.1f" y="%.1f" text-anchor="end">%s</text>' % (left - 6, y_of(t) + 4, number(t)))
    out.append('<text transform="translate(%d %.1f) rotate(-90)" text-anchor="middle">%s</text>'
               % (14, plot_top + PLOT_H / 2, escape(y_label + (" (log scale)" if log else ""))))
    bar_w = group_w * 0.8 / max(1, len(series))
    labelled = bar_w >= max((text_w(number(v), 11) for v in shown), default=0) + 2
    for g, parts in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s in range(len(series)):
            v = values[s][g]
            if v is None or (log and v <= 0):
                continue
            x = x0 + s * bar_w
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %s</title>'
                       '</rect>' % (x + 0.5, y_of(v), bar_w - 1, base - y_of(v), colours[s % len(colours)],
                                    escape(series[s]), escape(" ".join(parts)), number(v)))
            if labelled:
                out.append('<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle">%s</text>'
                           % (x + bar_w / 2, y_of(v) - 3, number(v)))
        cx = left + (g + 0.5) * group_w
        out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333333"/>' % (cx, base, cx, base + 4))
        if rotate:
            out.append('<text transform="translate(%.1f %.1f) rotate(-40)" text-anchor="end">%s</text>'
                       % (cx + 4, base + 14, escape(" ".join(parts))))
        else:
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>' % (cx, base + 4, "".join(
                '<tspan x="%.1f" dy="%d">%s</tspan>' % (cx, FONT + 3, escape(p)) for p in parts)))
    out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#333333"/>' % (left, base, WIDTH - right, base))
    out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#333333"/>' % (left, plot_top - 6, left, base))
    label_ys = []
    for name, v, colour, dash in sorted(refs, key=lambda r: -r[1]):    # reference lines, labels kept apart
        y = y_of(v)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>'
                   % (left, y, WIDTH - right, y, colour, dash))
        ly = y - 4 if not label_ys or y - 4 > label_ys[-1] + FONT + 1 else max(label_ys[-1] + FONT + 2, y + FONT + 1)
        label_ys.append(ly)
        out.append('<text x="%d" y="%.1f" text-anchor="end" fill="%s" stroke="#ffffff" stroke-width="3" '
                   'paint-order="stroke">%s</text>' % (WIDTH - right - 2, ly, colour, escape(number(v))))
    out.append("</svg>")
    return "\n".join(out) + "\n"
