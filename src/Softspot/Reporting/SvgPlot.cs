using System.Globalization;
using System.Net;
using System.Text;

namespace Softspot.Reporting;

/// <summary>
/// One figure of a report: an inline SVG plot with linear axes (ticks, grid, labels with units), marks, a legend, and
/// a caption saying what it shows and from which files, in a <c>&lt;figure&gt;</c>. Marks carry a class naming their
/// kind (so that a browser test can count them) and, where they show a number of results.json, that number in a
/// <c>data-value</c> attribute. Categorical axes are drawn by the caller with <see cref="YCategories"/>. An axis may be
/// logarithmic (<c>logX</c>, <c>logY</c>: decade ticks from <see cref="XAxis"/> / <see cref="YAxis"/>), and a second
/// linear y axis on the right (<see cref="RightAxis"/>, <see cref="RightLine"/>) shows a second quantity beside the first.
/// </summary>
internal sealed class SvgPlot
{
    private readonly StringBuilder _marks = new();
    private readonly List<(string Label, string Colour, string Shape)> _legend = [];
    private readonly double _w, _h, _left, _right, _top, _bottom = 46;
    private readonly bool _legendBelow, _logX, _logY;
    private (double Min, double Max) _yRight = (0, 1);
    private readonly (double Min, double Max) _x, _y;
    private readonly string _id, _title;

    /// <param name="id">The figure's HTML id.</param>
    /// <param name="title">The title above the plot.</param>
    /// <param name="x">The x range.</param>
    /// <param name="y">The y range.</param>
    /// <param name="width">Width in px.</param>
    /// <param name="height">Height in px.</param>
    /// <param name="left">Left margin in px (room for the y tick labels or category names).</param>
    /// <param name="top">Top margin in px (room for the title, and column names).</param>
    /// <param name="legendBelow">The legend goes below the plot (the figure grows) rather than in its top right corner.</param>
    /// <param name="logX">The x axis is logarithmic (its range positive).</param>
    /// <param name="logY">The y axis is logarithmic (its range positive).</param>
    /// <param name="right">Right margin in px (room for a <see cref="RightAxis"/> or a <see cref="ColourBar"/>).</param>
    public SvgPlot(string id, string title, (double Min, double Max) x, (double Min, double Max) y, double width = 440, double height = 320,
        double left = 60, double top = 30, bool legendBelow = false, bool logX = false, bool logY = false, double right = 20)
    {
        if (logX && !(x.Min > 0) || logY && !(y.Min > 0)) throw new ArgumentException("a logarithmic axis needs a positive range");
        _id = id; _title = title; _x = x; _y = y; _w = width; _h = height; _left = left; _top = top; _legendBelow = legendBelow;
        _logX = logX; _logY = logY; _right = right;
    }

    private static string F(double v) => (v + 0.0).ToString("0.##", CultureInfo.InvariantCulture);
    private static string Tick(double v, string format) => (Math.Abs(v) < 1e-12 ? 0.0 : v).ToString(format, CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static string Data(double? value) => value is { } v ? $" data-value=\"{v.ToString("R", CultureInfo.InvariantCulture)}\"" : "";

    /// <summary>A diverging colour for a value in [-1, 1]: blue at -1, white at 0, red at 1 (grey for NaN).</summary>
    public static string Diverging(double v)
    {
        if (double.IsNaN(v)) return "#eee";
        v = Math.Clamp(v, -1, 1);
        int fade = (int)(255 * (1 - Math.Abs(v)));
        return v >= 0 ? $"rgb(255,{fade},{fade})" : $"rgb({fade},{fade},255)";
    }

    /// <summary>The x pixel of a value.</summary>
    public double X(double v) => _left + Fraction(v, _x, _logX) * (_w - _left - _right);
    /// <summary>The y pixel of a value.</summary>
    public double Y(double v) => _h - _bottom - Fraction(v, _y, _logY) * (_h - _top - _bottom);
    /// <summary>The y pixel of a value on the right axis.</summary>
    private double YRight(double v) => _h - _bottom - Fraction(v, _yRight, false) * (_h - _top - _bottom);

    /// <summary>Where a value lies in a range, from 0 to 1 (clamped), linearly or by its logarithm.</summary>
    private static double Fraction(double v, (double Min, double Max) range, bool log) => log
        ? (Math.Log10(Math.Clamp(v, range.Min, range.Max)) - Math.Log10(range.Min)) / (Math.Log10(range.Max) - Math.Log10(range.Min))
        : (Math.Clamp(v, range.Min, range.Max) - range.Min) / (range.Max - range.Min);

    /// <summary>The tick values of an axis: every <paramref name="step"/>, or on a logarithmic axis 1, 2 and 5 times each decade (step ignored).</summary>
    private static IEnumerable<double> Ticks((double Min, double Max) range, double step, bool log)
    {
        if (!log)
        {
            for (double v = Math.Ceiling(range.Min / step - 1e-9) * step; v <= range.Max + 1e-9; v += step) yield return v;
            yield break;
        }
        bool few = Math.Log10(range.Max / range.Min) > 2.5;
        for (int e = (int)Math.Floor(Math.Log10(range.Min)); e <= (int)Math.Ceiling(Math.Log10(range.Max)); e++)
            foreach (double m in few ? new[] { 1.0 } : [1.0, 2, 5])
            {
                double v = m * Math.Pow(10, e);
                if (v >= range.Min * (1 - 1e-9) && v <= range.Max * (1 + 1e-9)) yield return v;
            }
    }

    /// <summary>A tick label: the format on a linear axis, on a logarithmic one the plain number down to 0.001, else 1e-N.</summary>
    private static string TickLabel(double v, string format, bool log) =>
        !log ? Tick(v, format) : v >= 1e-3 ? v.ToString("0.###", CultureInfo.InvariantCulture) : v.ToString("0e0", CultureInfo.InvariantCulture);

    /// <summary>The x axis: label (with unit) and ticks every <paramref name="step"/> (or at <paramref name="at"/>), with vertical grid lines.</summary>
    public SvgPlot XAxis(string label, double step, string format = "0.##", IReadOnlyList<double>? at = null)
    {
        foreach (double v in at ?? Ticks(_x, step, _logX))
            _marks.Append($"<line class=\"grid\" x1=\"{F(X(v))}\" x2=\"{F(X(v))}\" y1=\"{F(_top)}\" y2=\"{F(_h - _bottom)}\" stroke=\"#eee\"/>")
                  .Append($"<text x=\"{F(X(v))}\" y=\"{F(_h - _bottom + 14)}\" text-anchor=\"middle\">{TickLabel(v, format, _logX)}</text>");
        _marks.Append($"<text class=\"axis-label\" x=\"{F((_left + _w - _right) / 2)}\" y=\"{F(_h - 10)}\" text-anchor=\"middle\" font-size=\"12\">{E(label)}</text>");
        return this;
    }

    /// <summary>The y axis: label (with unit) and ticks every <paramref name="step"/>, with horizontal grid lines.</summary>
    public SvgPlot YAxis(string label, double step, string format = "0.##")
    {
        foreach (double v in Ticks(_y, step, _logY))
            _marks.Append($"<line class=\"grid\" x1=\"{F(_left)}\" x2=\"{F(_w - _right)}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"#eee\"/>")
                  .Append($"<text x=\"{F(_left - 5)}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\">{TickLabel(v, format, _logY)}</text>");
        _marks.Append($"<text class=\"axis-label\" x=\"14\" y=\"{F((_top + _h - _bottom) / 2)}\" transform=\"rotate(-90 14 {F((_top + _h - _bottom) / 2)})\" text-anchor=\"middle\" font-size=\"12\">{E(label)}</text>");
        return this;
    }

    /// <summary>
    /// A second, linear y axis on the right over <paramref name="range"/> (give the plot a right margin of about 60 px):
    /// label (with unit) and ticks every <paramref name="step"/>, in <paramref name="colour"/>; <see cref="RightLine"/> draws on it.
    /// </summary>
    public SvgPlot RightAxis(string label, (double Min, double Max) range, double step, string colour, string format = "0.##")
    {
        _yRight = range;
        double x = _w - _right;
        foreach (double v in Ticks(range, step, false))
            _marks.Append($"<line x1=\"{F(x)}\" x2=\"{F(x + 4)}\" y1=\"{F(YRight(v))}\" y2=\"{F(YRight(v))}\" stroke=\"{colour}\"/>")
                  .Append($"<text x=\"{F(x + 6)}\" y=\"{F(YRight(v) + 4)}\" fill=\"{colour}\">{Tick(v, format)}</text>");
        double lx = _w - 10, ly = (_top + _h - _bottom) / 2;
        _marks.Append($"<text class=\"axis-label\" x=\"{F(lx)}\" y=\"{F(ly)}\" transform=\"rotate(90 {F(lx)} {F(ly)})\" text-anchor=\"middle\" font-size=\"12\" fill=\"{colour}\">{E(label)}</text>");
        return this;
    }

    /// <summary>A polyline through the points, its y on the right axis (<see cref="RightAxis"/>).</summary>
    public SvgPlot RightLine(string kind, IReadOnlyList<double> xs, IReadOnlyList<double> ys, string colour, string? tooltip = null, double width = 1.4) =>
        Polyline(kind, xs, ys, YRight, $" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{F(width)}\"", tooltip);

    /// <summary>Category names at y = 0, 1, ... (the y range is set so that they fall between its ends), with grid lines.</summary>
    public SvgPlot YCategories(IReadOnlyList<string> names)
    {
        for (int k = 0; k < names.Count; k++)
            _marks.Append($"<line class=\"grid\" x1=\"{F(_left)}\" x2=\"{F(_w - _right)}\" y1=\"{F(Y(k))}\" y2=\"{F(Y(k))}\" stroke=\"#f2f2f2\"/>")
                  .Append($"<text x=\"{F(_left - 6)}\" y=\"{F(Y(k) + 4)}\" text-anchor=\"end\">{E(names[k])}</text>");
        return this;
    }

    /// <summary>Category names above the plot at x = 0.5, 1.5, ... (column names of a matrix).</summary>
    public SvgPlot XCategoriesAbove(IReadOnlyList<string> names)
    {
        for (int k = 0; k < names.Count; k++)
            _marks.Append($"<text x=\"{F(X(k + 0.5))}\" y=\"{F(_top - 6)}\" text-anchor=\"middle\">{E(names[k])}</text>");
        return this;
    }

    /// <summary>A round tick step giving about the span's worth of ticks: 1, 2 or 5 times a power of ten.</summary>
    public static double NiceStep(double span)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(span)));
        return span / p < 2 ? p : span / p < 5 ? 2 * p : 5 * p;
    }

    /// <summary>
    /// A figure of the <paramref name="top"/> largest values as horizontal bars (class "importance", data-value the
    /// value), largest first, the names as categories.
    /// </summary>
    public static string TopBars(string id, string title, string axis, IReadOnlyList<string> names, IReadOnlyList<double> values, int top, string caption)
    {
        var order = Enumerable.Range(0, names.Count).OrderByDescending(i => values[i]).Take(top).ToArray();
        double lo = Math.Min(0, order.Length == 0 ? 0 : order.Min(i => values[i])), hi = Math.Max(1e-12, order.Length == 0 ? 1 : values[order[0]]);
        double step = NiceStep((hi - lo) / 4);
        lo = Math.Floor(lo / step) * step; hi = Math.Ceiling(hi * 1.05 / step) * step;
        double left = 16 + order.Select(i => TextWidth(names[i])).DefaultIfEmpty(60).Max();
        var plot = new SvgPlot(id, title, (lo, hi), (-0.7, order.Length - 0.3), width: left + 290, height: 80 + 17 * order.Length, left: left);
        plot.XAxis(axis, step, "0.###").YCategories([.. order.Reverse().Select(i => names[i])]);
        for (int k = 0; k < order.Length; k++)
        {
            double y = order.Length - 1 - k, v = values[order[k]];
            plot.Rect("importance", Math.Min(0, v), y - 0.35, Math.Max(0, v), y + 0.35, "#66a182", $"{names[order[k]]}: {v:G4}", v);
        }
        return plot.Html(caption);
    }

    /// <summary>
    /// A figure of a correlation matrix: one cell per pair (class <paramref name="kind"/>, data-value r) with r
    /// written in it, rows named "1. name", columns numbered, a diverging colour bar from -1 to 1.
    /// </summary>
    public static string CorrelationMap(string id, string title, string kind, IReadOnlyList<string> names, Func<int, int, double> r, string caption)
    {
        int n = names.Count;
        var rows = names.Select((name, i) => $"{i + 1}. {name}").ToList();
        double left = 16 + rows.Select(TextWidth).DefaultIfEmpty(60).Max();
        var plot = new SvgPlot(id, title, (0, n), (-0.5, n - 0.5), width: left + 100 + 36 * n, height: Math.Max(220, 70 + 32 * n), left: left, top: 48, right: 80);
        plot.YCategories([.. Enumerable.Reverse(rows)]).XCategoriesAbove([.. Enumerable.Range(1, n).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double v = r(a, b), y = n - 1 - a;
                plot.Rect(kind, b + 0.02, y - 0.48, b + 0.98, y + 0.48, Diverging(v), $"{names[a]} vs {names[b]}: r = {v:F3}", v)
                    .Text(b + 0.5, y, double.IsNaN(v) ? "" : v.ToString("F2", CultureInfo.InvariantCulture), Math.Abs(v) > 0.6 ? "#fff" : "#222");
            }
        plot.ColourBar("Pearson r (dimensionless)", -1, 1, Diverging, 0.5);
        return plot.Html(caption);
    }

    /// <summary>About how wide a text is at the figures' 11 px font, in px (for margins and legend boxes).</summary>
    public static double TextWidth(string text) => 6.3 * text.Length;

    /// <summary>A polyline through the points (<paramref name="value"/>: the number of results it stands for, e.g. its curve's AUC).</summary>
    public SvgPlot Line(string kind, IReadOnlyList<double> xs, IReadOnlyList<double> ys, string colour, string? tooltip = null, bool dashed = false, double width = 1.6,
        double? value = null, double opacity = 1)
        => Polyline(kind, xs, ys, Y, $"{Data(value)} fill=\"none\" stroke=\"{colour}\" stroke-width=\"{F(width)}\"{(opacity < 1 ? $" stroke-opacity=\"{F(opacity)}\"" : "")}{(dashed ? " stroke-dasharray=\"5 3\"" : "")}", tooltip);

    /// <summary>A polyline of the points, y mapped by <paramref name="y"/> (the left or the right axis), with the given attributes.</summary>
    private SvgPlot Polyline(string kind, IReadOnlyList<double> xs, IReadOnlyList<double> ys, Func<double, double> y, string attributes, string? tooltip)
    {
        _marks.Append($"<polyline class=\"{kind}\"{attributes} points=\"");
        for (int i = 0; i < xs.Count; i++) _marks.Append(F(X(xs[i]))).Append(',').Append(F(y(ys[i]))).Append(' ');
        _marks.Append("\">").Append(tooltip is null ? "" : $"<title>{E(tooltip)}</title>").Append("</polyline>");
        return this;
    }

    /// <summary>A point: a filled circle, or a hollow diamond (<paramref name="hollow"/>), with an optional horizontal error bar.</summary>
    public SvgPlot Point(string kind, double x, double y, string colour, string tooltip, double? value = null, double errorX = 0, bool hollow = false)
    {
        if (errorX > 0)
            _marks.Append($"<line class=\"{kind}-error\" x1=\"{F(X(x - errorX))}\" x2=\"{F(X(x + errorX))}\" y1=\"{F(Y(y))}\" y2=\"{F(Y(y))}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>");
        string data = Data(value);
        _marks.Append(hollow
            ? $"<path class=\"{kind}\"{data} d=\"M{F(X(x))},{F(Y(y) - 6)} l6,6 l-6,6 l-6,-6 z\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"1.5\"><title>{E(tooltip)}</title></path>"
            : $"<circle class=\"{kind}\"{data} cx=\"{F(X(x))}\" cy=\"{F(Y(y))}\" r=\"4.5\" fill=\"{colour}\"><title>{E(tooltip)}</title></circle>");
        return this;
    }

    /// <summary>A small dot without a tooltip (many of them: a swarm of atoms).</summary>
    public SvgPlot Dot(string kind, double x, double y, string colour, double radius = 1.6)
    {
        _marks.Append($"<circle class=\"{kind}\" cx=\"{F(X(x))}\" cy=\"{F(Y(y))}\" r=\"{F(radius)}\" fill=\"{colour}\" fill-opacity=\"0.7\"/>");
        return this;
    }

    /// <summary>A rectangle between two corners in data units (bars, matrix cells).</summary>
    public SvgPlot Rect(string kind, double x0, double y0, double x1, double y1, string colour, string tooltip, double? value = null)
    {
        string data = Data(value);
        double px = Math.Min(X(x0), X(x1)), py = Math.Min(Y(y0), Y(y1));
        _marks.Append($"<rect class=\"{kind}\"{data} x=\"{F(px)}\" y=\"{F(py)}\" width=\"{F(Math.Abs(X(x1) - X(x0)))}\" height=\"{F(Math.Abs(Y(y1) - Y(y0)))}\" fill=\"{colour}\"><title>{E(tooltip)}</title></rect>");
        return this;
    }

    /// <summary>
    /// A closed shape through the points in data units (e.g. a violin: a density drawn on both sides of its axis), as
    /// an SVG path; <paramref name="value"/> is the number it shows, if one.
    /// </summary>
    public SvgPlot Polygon(string kind, IReadOnlyList<double> xs, IReadOnlyList<double> ys, string fill, string stroke, string tooltip, double? value = null,
        double opacity = 0.6)
    {
        if (xs.Count != ys.Count) throw new ArgumentException($"{xs.Count} x values for {ys.Count} y values");
        _marks.Append($"<path class=\"{kind}\"{Data(value)} d=\"");
        for (int i = 0; i < xs.Count; i++) _marks.Append(i == 0 ? 'M' : 'L').Append(F(X(xs[i]))).Append(',').Append(F(Y(ys[i]))).Append(' ');
        _marks.Append($"Z\" fill=\"{fill}\" fill-opacity=\"{F(opacity)}\" stroke=\"{stroke}\" stroke-width=\"0.8\"><title>{E(tooltip)}</title></path>");
        return this;
    }

    /// <summary>
    /// A vertical colour scale in the right margin (give the plot a right margin of about 70 px): the colours of
    /// <paramref name="colour"/> from <paramref name="min"/> (bottom) to <paramref name="max"/> (top), ticks every
    /// <paramref name="step"/> and a label; the legend of a heatmap.
    /// </summary>
    public SvgPlot ColourBar(string label, double min, double max, Func<double, string> colour, double step, string format = "0.##", int bands = 40)
    {
        double x0 = _w - _right + 10, top = _top, bottom = _h - _bottom, h = (bottom - top) / bands;
        _marks.Append("<g class=\"colour-bar\">");
        for (int b = 0; b < bands; b++)
        {
            double v = min + (b + 0.5) * (max - min) / bands;
            _marks.Append($"<rect x=\"{F(x0)}\" y=\"{F(bottom - (b + 1) * h)}\" width=\"12\" height=\"{F(h + 0.3)}\" fill=\"{colour(v)}\"/>");
        }
        _marks.Append($"<rect x=\"{F(x0)}\" y=\"{F(top)}\" width=\"12\" height=\"{F(bottom - top)}\" fill=\"none\" stroke=\"#444\"/>");
        foreach (double v in Ticks((min, max), step, false))
        {
            double y = bottom - Fraction(v, (min, max), false) * (bottom - top);
            _marks.Append($"<line x1=\"{F(x0 + 12)}\" x2=\"{F(x0 + 15)}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#444\"/>")
                  .Append($"<text x=\"{F(x0 + 17)}\" y=\"{F(y + 4)}\">{Tick(v, format)}</text>");
        }
        double ly = (top + bottom) / 2, lx = _w - 8;
        _marks.Append($"<text class=\"axis-label\" x=\"{F(lx)}\" y=\"{F(ly)}\" transform=\"rotate(-90 {F(lx)} {F(ly)})\" text-anchor=\"middle\" font-size=\"12\">{E(label)}</text></g>");
        return this;
    }

    /// <summary>A vertical line across the plot at x, with a label at its top.</summary>
    public SvgPlot VerticalLine(string kind, double x, string colour, string label)
    {
        _marks.Append($"<line class=\"{kind}\" x1=\"{F(X(x))}\" x2=\"{F(X(x))}\" y1=\"{F(_top)}\" y2=\"{F(_h - _bottom)}\" stroke=\"{colour}\" stroke-dasharray=\"4 3\"/>")
              .Append($"<text x=\"{F(X(x) + 3)}\" y=\"{F(_top + 10)}\" fill=\"{colour}\" font-size=\"10\">{E(label)}</text>");
        return this;
    }

    /// <summary>Text at a data position, centred.</summary>
    public SvgPlot Text(double x, double y, string text, string colour = "#222")
    {
        _marks.Append($"<text x=\"{F(X(x))}\" y=\"{F(Y(y) + 4)}\" text-anchor=\"middle\" fill=\"{colour}\" font-size=\"10\">{E(text)}</text>");
        return this;
    }

    /// <summary>A legend entry (shape: line, dashed, dot, diamond or box).</summary>
    public SvgPlot Legend(string label, string colour, string shape = "line")
    {
        _legend.Add((label, colour, shape));
        return this;
    }

    /// <summary>The figure: the SVG and its caption.</summary>
    public string Html(string caption)
    {
        double height = _h + (_legendBelow && _legend.Count > 0 ? 14 * _legend.Count + 8 : 0);
        var sb = new StringBuilder($"<figure id=\"{E(_id)}\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(_w)}\" height=\"{F(height)}\" font-size=\"11\" role=\"img\" aria-label=\"{E(_title)}\">");
        sb.Append($"<text class=\"title\" x=\"{F(_w / 2)}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{E(_title)}</text>");
        sb.Append(_marks);
        sb.Append($"<rect x=\"{F(_left)}\" y=\"{F(_top)}\" width=\"{F(_w - _left - _right)}\" height=\"{F(_h - _top - _bottom)}\" fill=\"none\" stroke=\"#444\"/>");
        if (_legend.Count > 0)
        {
            double boxWidth = Math.Min(_w - _left - _right, 32 + _legend.Max(l => TextWidth(l.Label)));
            double lx = _legendBelow ? _left + 6 : _w - _right - boxWidth + 2, ly = _legendBelow ? _h + 2 : _top + 8;
            sb.Append($"<g class=\"legend\"><rect x=\"{F(lx - 6)}\" y=\"{F(ly - 8)}\" width=\"{F(boxWidth)}\" height=\"{F(14 * _legend.Count + 6)}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>");
            foreach (var (label, colour, shape) in _legend)
            {
                sb.Append(shape switch
                {
                    "dot" => $"<circle cx=\"{F(lx + 8)}\" cy=\"{F(ly)}\" r=\"4\" fill=\"{colour}\"/>",
                    "diamond" => $"<path d=\"M{F(lx + 8)},{F(ly - 5)} l5,5 l-5,5 l-5,-5 z\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"1.5\"/>",
                    "box" => $"<rect x=\"{F(lx + 3)}\" y=\"{F(ly - 5)}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>",
                    "dashed" => $"<line x1=\"{F(lx)}\" x2=\"{F(lx + 16)}\" y1=\"{F(ly)}\" y2=\"{F(ly)}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>",
                    _ => $"<line x1=\"{F(lx)}\" x2=\"{F(lx + 16)}\" y1=\"{F(ly)}\" y2=\"{F(ly)}\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                }).Append($"<text x=\"{F(lx + 22)}\" y=\"{F(ly + 4)}\">{E(label)}</text>");
                ly += 14;
            }
            sb.Append("</g>");
        }
        sb.Append("</svg><figcaption>").Append(E(caption)).Append("</figcaption></figure>");
        return sb.ToString();
    }
}
