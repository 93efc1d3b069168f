using System.Text;
using SkiaSharp;

namespace Payments.Api.Features.Receipts.Pdf;

/// <summary>
/// The little layout a receipt needs on top of Skia: shaped text (HarfBuzz, NFC, so stacked Vietnamese diacritics
/// land right), alignment, wrapping, rules and a vector QR. Coordinates are PDF points from the top left.
/// A canvas made by <see cref="Collecting"/> lays the document out the same way but draws nothing: it notes the
/// characters and glyphs each face sets, so the document can then be drawn with faces cut down to those. Text is
/// always shaped with the whole faces; the two passes share the shaped lines.
/// </summary>
internal sealed class PdfCanvas : IDisposable
{
    private readonly SKCanvas _canvas;
    private readonly PdfFaces _faces;
    private readonly UsedGlyphs? _collect;
    private readonly SKPaint _ink = new() { Color = SKColors.Black, IsAntialias = true };
    private readonly SKPaint _rule = new() { Color = SKColors.Black, StrokeWidth = 0.6f, IsStroke = true };
    private readonly Dictionary<(bool, float), SKFont> _fonts = [];
    private readonly Dictionary<(string, float, bool), ShapedLine> _shaped;
    private readonly SKTextBlobBuilder _blobs = new();

    public PdfCanvas(SKCanvas canvas, PdfFaces faces, Dictionary<(string, float, bool), ShapedLine>? shaped = null)
        => (_canvas, _faces, _shaped) = (canvas, faces, shaped ?? []);

    private PdfCanvas(PdfFaces whole, UsedGlyphs collect, float width, float height)
        : this(new SKNoDrawCanvas((int)Math.Ceiling(width), (int)Math.Ceiling(height)), whole, collect.Shaped) => _collect = collect;

    /// <summary>A canvas that lays out with <paramref name="whole"/> and only notes into <paramref name="used"/> what it would set.</summary>
    public static PdfCanvas Collecting(PdfFaces whole, UsedGlyphs used, float width, float height) => new(whole, used, width, height);

    public SKCanvas Raw => _canvas;

    private SKFont Font(bool bold, float size)
    {
        if (!_fonts.TryGetValue((bold, size), out var font))
            _fonts[(bold, size)] = font = new SKFont((bold ? _faces.Bold : _faces.Regular).Typeface, size) { Subpixel = true };
        return font;
    }

    public float Measure(string text, float size, bool bold = false) => Shape(text, size, bold).Width;

    /// <summary>Shapes NFC text once per document: a value is measured (to align or wrap it) and then drawn.</summary>
    private ShapedLine Shape(string text, float size, bool bold)
    {
        if (!_shaped.TryGetValue((text, size, bold), out var line))
            _shaped[(text, size, bold)] = line = (bold ? _faces.Bold : _faces.Regular).Shaper.Shape(Nfc(text), size);
        return line;
    }

    /// <summary>NFC; a lone surrogate (which NFC refuses) is printed as U+FFFD rather than failing the whole document.</summary>
    private static string Nfc(string text)
    {
        try { return text.Normalize(NormalizationForm.FormC); }
        catch (ArgumentException)
        {
            var clean = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
                if (char.IsSurrogatePair(text, i)) clean.Append(text, i++, 2);
                else clean.Append(char.IsSurrogate(text[i]) ? '\uFFFD' : text[i]);
            return clean.ToString().Normalize(NormalizationForm.FormC);
        }
    }

    /// <summary>Draws one line with its baseline at <paramref name="y"/>.</summary>
    public void Text(string text, float x, float y, float size, bool bold = false, SKTextAlign align = SKTextAlign.Left, SKColor? color = null)
    {
        var line = Shape(text, size, bold);
        if (_collect is not null) { _collect.Add(line.Text, line.Glyphs, bold); return; }
        if (line.Glyphs.Length == 0) return;
        _ink.Color = color ?? SKColors.Black;
        var face = bold ? _faces.Bold : _faces.Regular;
        var font = Font(bold, size);
        var start = align switch { SKTextAlign.Center => x - line.Width / 2, SKTextAlign.Right => x - line.Width, _ => x };
        foreach (var (first, count, at, positions) in line.Pieces())
        {
            _blobs.AddPositionedRun(face.Embedded(line.Glyphs.AsSpan(first, count)), font, positions);
            using var blob = _blobs.Build(); // and the builder is empty again
            _canvas.DrawText(blob, start + at.X, y + at.Y, _ink);
        }
    }

    /// <summary>Draws text wrapped at word boundaries within <paramref name="width"/>; returns the baseline after the last line.</summary>
    /// <remarks>Words are measured once each and summed (kerning across a space is nil), not the growing line re-shaped per word.</remarks>
    public float Wrapped(string text, float x, float y, float width, float size, bool bold = false, SKTextAlign align = SKTextAlign.Left, float leading = 1.3f)
    {
        if (Measure(text, size, bold) <= width)
        {
            // Most values fit on one line: one measure, one draw, no per-word shaping.
            Text(text, Anchor(x, width, align), y, size, bold, align);
            return y + size * leading;
        }
        var line = new StringBuilder();
        var space = Measure(" ", size, bold);
        var lineWidth = 0f;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var w = Measure(word, size, bold);
            if (line.Length > 0 && lineWidth + space + w > width)
            {
                Text(line.ToString(), Anchor(x, width, align), y, size, bold, align);
                y += size * leading;
                line.Clear();
                lineWidth = 0;
            }
            if (line.Length > 0) { line.Append(' '); lineWidth += space; }
            line.Append(word);
            lineWidth += w;
        }
        if (line.Length > 0) Text(line.ToString(), Anchor(x, width, align), y, size, bold, align);
        return y + size * leading;
    }

    public void Rule(float x1, float y1, float x2, float y2) => _canvas.DrawLine(x1, y1, x2, y2, _rule);

    /// <summary>
    /// A QR code as vector squares (crisp at any zoom, no image decoding in the PDF), at most <paramref name="size"/>
    /// points wide, its four-module quiet zone included.
    /// </summary>
    public void Qr(string payload, float x, float y, float size)
    {
        if (_collect is not null) return;
        var modules = QrCode.Encode(payload);
        var n = modules.GetLength(0);
        const int quiet = 4; // light modules around the code, as the standard asks
        _ink.Color = SKColors.Black;
        // Drawn in module units (one transform for the code), so each rectangle is four small integers in the PDF.
        // Each horizontal run of dark modules is one rectangle, and a run repeated in the rows below grows downwards
        // instead of starting again: a couple of hundred rectangles instead of one per module. One rectangle per draw
        // is what Skia writes as a bare "re"; one path of them all it writes as four lines each, twice the bytes and
        // slower. An image would be cheaper still, but viewers smooth an upscaled image and scanners then fail.
        _canvas.Save();
        var cell = size / (n + 2 * quiet);
        _canvas.Translate(x + quiet * cell, y + quiet * cell);
        _canvas.Scale(cell);
        var openTo = new int[n];   // per starting column: the last column of the run open there, or -1
        var openFrom = new int[n]; // and the row it began in
        var nextTo = new int[n];
        Array.Fill(openTo, -1);
        for (var row = 0; row <= n; row++)
        {
            Array.Fill(nextTo, -1);
            if (row < n)
                for (var col = 0; col < n; col++)
                {
                    if (!modules[row, col]) continue;
                    var from = col;
                    while (col + 1 < n && modules[row, col + 1]) col++;
                    nextTo[from] = col;
                }
            for (var from = 0; from < n; from++)
            {
                if (openTo[from] >= 0 && openTo[from] == nextTo[from]) continue; // the run goes on down
                if (openTo[from] >= 0) _canvas.DrawRect(from, openFrom[from], openTo[from] - from + 1, row - openFrom[from], _ink);
                openTo[from] = nextTo[from];
                openFrom[from] = row;
            }
        }
        _canvas.Restore();
    }

    private static float Anchor(float x, float width, SKTextAlign align) =>
        align switch { SKTextAlign.Center => x + width / 2, SKTextAlign.Right => x + width, _ => x };

    public void Dispose()
    {
        foreach (var f in _fonts.Values) f.Dispose();
        _ink.Dispose();
        _rule.Dispose();
        _blobs.Dispose();
        if (_collect is not null) _canvas.Dispose();
    }
}
