using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Payments.Api.Features.Receipts.Pdf;

/// <summary>
/// The little layout a receipt needs on top of Skia: shaped text (HarfBuzz, NFC, so stacked Vietnamese diacritics
/// land right), alignment, wrapping, rules and a vector QR. Coordinates are PDF points from the top left.
/// </summary>
internal sealed class PdfCanvas(SKCanvas canvas, ReceiptFonts fonts) : IDisposable
{
    private readonly SKPaint _ink = new() { Color = SKColors.Black, IsAntialias = true };
    private readonly SKPaint _rule = new() { Color = SKColors.Black, StrokeWidth = 0.6f, IsStroke = true };
    private readonly Dictionary<(bool, float), SKFont> _fonts = [];

    public SKCanvas Raw => canvas;

    private SKFont Font(bool bold, float size)
    {
        if (!_fonts.TryGetValue((bold, size), out var font))
            _fonts[(bold, size)] = font = new SKFont(bold ? fonts.Bold : fonts.Regular, size) { Subpixel = true };
        return font;
    }

    public float Measure(string text, float size, bool bold = false) =>
        (bold ? fonts.BoldShaper : fonts.RegularShaper).Shape(text.Normalize(NormalizationForm.FormC), Font(bold, size)).Width;

    /// <summary>Draws one line with its baseline at <paramref name="y"/>.</summary>
    public void Text(string text, float x, float y, float size, bool bold = false, SKTextAlign align = SKTextAlign.Left, SKColor? color = null)
    {
        _ink.Color = color ?? SKColors.Black;
        canvas.DrawShapedText(bold ? fonts.BoldShaper : fonts.RegularShaper, text.Normalize(NormalizationForm.FormC), x, y, align, Font(bold, size), _ink);
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

    public void Rule(float x1, float y1, float x2, float y2) => canvas.DrawLine(x1, y1, x2, y2, _rule);

    /// <summary>A QR code as vector squares (crisp at any zoom, no image decoding in the PDF).</summary>
    public void Qr(string payload, float x, float y, float size)
    {
        using var data = QRCoder.QRCodeGenerator.GenerateQrCode(payload, QRCoder.QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var cell = size / modules.Count;
        _ink.Color = SKColors.Black;
        // One path for all dark modules, each horizontal run of them one rectangle: one fill in the PDF and a few
        // hundred path operators instead of one per module (a quarter of the receipt's time went here). An image
        // would be cheaper still, but viewers smooth an upscaled image and scanners then fail to read it.
        using var builder = new SKPathBuilder();
        for (var row = 0; row < modules.Count; row++)
        {
            var line = modules[row];
            for (var col = 0; col < line.Count; col++)
            {
                if (!line[col]) continue;
                var start = col;
                while (col + 1 < line.Count && line[col + 1]) col++;
                builder.AddRect(SKRect.Create(x + start * cell, y + row * cell, (col - start + 1) * cell + 0.05f, cell + 0.05f));
            }
        }
        using var path = builder.Detach();
        canvas.DrawPath(path, _ink);
    }

    private static float Anchor(float x, float width, SKTextAlign align) =>
        align switch { SKTextAlign.Center => x + width / 2, SKTextAlign.Right => x + width, _ => x };

    public void Dispose()
    {
        foreach (var f in _fonts.Values) f.Dispose();
        _ink.Dispose();
        _rule.Dispose();
    }
}

/// <summary>Noto Sans (OFL, committed with its licence) embedded in the assembly, loaded once.</summary>
public sealed class ReceiptFonts : IDisposable
{
    public ReceiptFonts()
    {
        Regular = Load("Fonts.NotoSans-Regular.ttf");
        Bold = Load("Fonts.NotoSans-Bold.ttf");
        RegularShaper = new SKShaper(Regular);
        BoldShaper = new SKShaper(Bold);
    }

    public SKTypeface Regular { get; }
    public SKTypeface Bold { get; }
    internal SKShaper RegularShaper { get; }
    internal SKShaper BoldShaper { get; }

    private static SKTypeface Load(string resource)
    {
        using var stream = typeof(ReceiptFonts).Assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"Font {resource} is not embedded.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"Font {resource} did not load.");
    }

    public void Dispose()
    {
        RegularShaper.Dispose();
        BoldShaper.Dispose();
        Regular.Dispose();
        Bold.Dispose();
    }
}
