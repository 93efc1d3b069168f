using System.Runtime.InteropServices;
using SkiaSharp;
using HbBlob = HarfBuzzSharp.Blob;
using HbBuffer = HarfBuzzSharp.Buffer;
using HbFace = HarfBuzzSharp.Face;
using HbFont = HarfBuzzSharp.Font;

namespace Payments.Api.Features.Receipts.Pdf;

/// <summary>
/// Glyphs shaped for one line of NFC text: where shaping puts each (font units from the pen's start), each glyph's own advance,
/// and the points per font unit. <see cref="Width"/> is the pen's advance in points.
/// </summary>
internal sealed record ShapedLine(string Text, ushort[] Glyphs, int[] X, int[] Y, int[] Nominal, float Scale, float Width)
{
    /// <summary>
    /// The line cut where shaping moved a glyph off the pen (kerning, marks): each piece is drawn at its own start, its
    /// glyphs placed from 0 by the float sum of the advances Skia's PDF writer itself sums (the font's own, in whole
    /// units), so the writer sees every glyph of a piece exactly on its pen and sets the piece as one string.
    /// </summary>
    /// <remarks>
    /// One piece per line is not enough: after a move to x the writer compares (x + s) − x with s, which floats only
    /// keep equal for x = 0; every glyph after the first kerning pair would move again.
    /// </remarks>
    public IEnumerable<(int Start, int Count, SKPoint At, SKPoint[] Positions)> Pieces()
    {
        for (var start = 0; start < Glyphs.Length;)
        {
            var end = start + 1;
            var pen = X[start] + Nominal[start];
            while (end < Glyphs.Length && X[end] == pen && Y[end] == Y[start]) pen += Nominal[end++];
            var positions = new SKPoint[end - start];
            var advanced = 0f;
            for (var i = start; i < end; i++)
            {
                positions[i - start] = new SKPoint(advanced, 0);
                advanced += Scale * Nominal[i];
            }
            yield return (start, end - start, new SKPoint(X[start] * Scale, -Y[start] * Scale), positions);
            start = end;
        }
    }
}

/// <summary>
/// One face, from one font file, for both jobs: HarfBuzz shapes with it (kerning, marks), Skia draws with it.
/// </summary>
/// <remarks>
/// Skia's PDF writer sets a glyph with its own move (<c>Td</c>) unless the glyph sits exactly, to the last bit of a
/// float, where the previous glyph's advance leaves the pen. SkiaSharp.HarfBuzz's shaper positions glyphs on
/// HarfBuzz's 1/512-point grid, so every glyph of a receipt got its own move: 60 KB of content stream to write and
/// compress for one page. Shaping here is in whole font units, and <see cref="ShapedLine.Pieces"/> keeps HarfBuzz's
/// position wherever shaping moved a glyph (kerning, marks) and otherwise puts it where Skia's writer has the pen,
/// so a plain run of letters becomes one string. Were the two ever to differ, Skia writes a move: longer, still right.
/// </remarks>
internal sealed class PdfFace : IDisposable
{
    private readonly HbBlob _blob;
    private readonly HbFace _face;
    private readonly HbFont _font;
    private readonly int _unitsPerEm;
    private readonly int[] _nominal; // each glyph's advance in the font's table
    [ThreadStatic] private static HbBuffer? t_buffer;

    public PdfFace(byte[] font)
    {
        using (var data = SKData.CreateCopy(font))
            Typeface = SKTypeface.FromData(data) ?? throw new InvalidOperationException("Skia could not load a receipt font.");
        // HarfBuzz reads the bytes in place for the blob's lifetime: memory the GC does not move, freed with the blob.
        var bytes = Marshal.AllocHGlobal(font.Length);
        Marshal.Copy(font, 0, bytes, font.Length);
        _blob = new HbBlob(bytes, font.Length, HarfBuzzSharp.MemoryMode.ReadOnly, () => Marshal.FreeHGlobal(bytes));
        _face = new HbFace(_blob, 0);
        _unitsPerEm = _face.UnitsPerEm;
        _font = new HbFont(_face);
        _font.SetFunctionsOpenType();
        _font.SetScale(_unitsPerEm, _unitsPerEm); // positions in font units: integers, compared exactly below
        var all = new uint[_face.GlyphCount];
        for (var g = 0; g < all.Length; g++) all[g] = (uint)g;
        _nominal = _font.GetHorizontalGlyphAdvances(all);
    }

    public SKTypeface Typeface { get; }
    internal HbFace HarfBuzzFace => _face;

    /// <param name="text">NFC text of one line.</param>
    public ShapedLine Shape(string text, float size)
    {
        var buffer = t_buffer ??= new HbBuffer(); // one per thread, emptied for each line
        buffer.ClearContents();
        buffer.AddUtf16(text);
        buffer.GuessSegmentProperties();
        _font.Shape(buffer);
        var infos = buffer.GetGlyphInfoSpan();
        var placed = buffer.GetGlyphPositionSpan();
        var glyphs = new ushort[infos.Length];
        int[] xs = new int[infos.Length], ys = new int[infos.Length], nominal = new int[infos.Length];
        var pen = 0;
        for (var i = 0; i < infos.Length; i++)
        {
            glyphs[i] = (ushort)infos[i].Codepoint;
            xs[i] = pen + placed[i].XOffset;
            ys[i] = placed[i].YOffset;
            nominal[i] = _nominal[infos[i].Codepoint];
            pen += placed[i].XAdvance;
        }
        // Points per font unit as Skia's PDF writer computes it (SkPDFDevice: size * scaleX / emSize).
        var scale = size * 1f / _unitsPerEm;
        return new ShapedLine(text, glyphs, xs, ys, nominal, scale, pen * scale);
    }

    public void Dispose()
    {
        _font.Dispose();
        _face.Dispose();
        _blob.Dispose();
        Typeface.Dispose();
    }
}
