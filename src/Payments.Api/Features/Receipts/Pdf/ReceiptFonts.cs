using SkiaSharp;

namespace Payments.Api.Features.Receipts.Pdf;

/// <summary>What a document sets in each face: characters (NFC, as drawn) and the glyphs shaping chose for them.</summary>
internal sealed class UsedGlyphs
{
    public (HashSet<int> Characters, HashSet<ushort> Glyphs) Regular { get; } = ([], []);
    public (HashSet<int> Characters, HashSet<ushort> Glyphs) Bold { get; } = ([], []);
    internal Dictionary<(string, float, bool), ShapedLine> Shaped { get; } = [];

    public void Add(string text, ushort[] glyphs, bool bold)
    {
        var (characters, glyphSet) = bold ? Bold : Regular;
        foreach (var rune in text.EnumerateRunes()) characters.Add(rune.Value);
        glyphSet.UnionWith(glyphs);
    }
}

/// <summary>
/// A face as one document uses it: shaped with the whole face, drawn with <see cref="Typeface"/> — the whole face
/// too, or a cut-down copy whose glyph numbers <see cref="Embedded"/> maps to.
/// </summary>
internal sealed class DocumentFace(PdfFace shaper, SKTypeface typeface, ushort[]? oldToNew) : IDisposable
{
    public PdfFace Shaper => shaper;
    public SKTypeface Typeface => typeface;

    public ReadOnlySpan<ushort> Embedded(ReadOnlySpan<ushort> glyphs)
    {
        if (oldToNew is null) return glyphs;
        var mapped = new ushort[glyphs.Length];
        for (var i = 0; i < glyphs.Length; i++)
        {
            mapped[i] = oldToNew[glyphs[i]];
            // A glyph the dry pass did not record would print as nothing (.notdef has no outline here): refuse instead.
            if (mapped[i] == 0 && glyphs[i] != 0) throw new InvalidOperationException($"Glyph {glyphs[i]} was drawn but not laid out.");
        }
        return mapped;
    }

    public void Dispose()
    {
        if (oldToNew is not null) typeface.Dispose(); // a cut-down copy is the document's own; the whole face is shared
    }
}

/// <summary>The two faces a document draws with.</summary>
public sealed class PdfFaces : IDisposable
{
    internal PdfFaces(DocumentFace regular, DocumentFace bold) => (Regular, Bold) = (regular, bold);

    internal DocumentFace Regular { get; }
    internal DocumentFace Bold { get; }

    public void Dispose()
    {
        Regular.Dispose();
        Bold.Dispose();
    }
}

/// <summary>
/// Noto Sans (OFL, committed with its licence) embedded in the assembly, loaded once: the whole faces, and the means
/// to cut them down to what one document sets (<see cref="SubsetFor"/>).
/// </summary>
public sealed class ReceiptFonts : IDisposable
{
    private readonly PdfFace _regular, _bold;
    private readonly FontSubsetter _regularSubsetter, _boldSubsetter;

    public ReceiptFonts()
    {
        var regular = Load("Fonts.NotoSans-Regular.ttf");
        var bold = Load("Fonts.NotoSans-Bold.ttf");
        _regular = new PdfFace(regular);
        _bold = new PdfFace(bold);
        Whole = new PdfFaces(new DocumentFace(_regular, _regular.Typeface, null), new DocumentFace(_bold, _bold.Typeface, null));
        _regularSubsetter = new FontSubsetter(_regular);
        _boldSubsetter = new FontSubsetter(_bold);
    }

    /// <summary>The whole faces (the Vietnamese repertoire), for documents that are not laid out twice.</summary>
    public PdfFaces Whole { get; }
    public SKTypeface Regular => _regular.Typeface;
    public SKTypeface Bold => _bold.Typeface;

    /// <summary>Faces holding only what <paramref name="used"/> names, for drawing; the caller disposes them.</summary>
    internal PdfFaces SubsetFor(UsedGlyphs used) =>
        new(Cut(_regular, _regularSubsetter, used.Regular), Cut(_bold, _boldSubsetter, used.Bold));

    private static DocumentFace Cut(PdfFace whole, FontSubsetter subsetter, (HashSet<int> Characters, HashSet<ushort> Glyphs) used)
    {
        var (font, oldToNew) = subsetter.Subset(used.Characters, used.Glyphs, whole.Typeface.GlyphCount);
        using var data = SKData.CreateCopy(font);
        var typeface = SKTypeface.FromData(data) ?? throw new InvalidOperationException("Skia could not load a cut-down receipt font.");
        return new DocumentFace(whole, typeface, oldToNew);
    }

    private static byte[] Load(string resource)
    {
        using var stream = typeof(ReceiptFonts).Assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"Font {resource} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        _regular.Dispose();
        _bold.Dispose();
    }
}
