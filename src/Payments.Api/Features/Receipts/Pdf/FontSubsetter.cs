using System.Runtime.InteropServices;

namespace Payments.Api.Features.Receipts.Pdf;

/// <summary>
/// Cuts a font down to the characters one document uses, with HarfBuzz's subsetter (<c>hb-subset</c>, shipped in the
/// libHarfBuzzSharp we already load for shaping; HarfBuzzSharp has no managed binding for it). The Skia build we can
/// use embeds every face it is handed whole, so a PDF that draws 60 characters carried all ~900 glyphs of each face;
/// handed a subset it carries only those (docs/adr/0016). Text is shaped with the whole face before the subset is
/// made, so the subset keeps no layout tables.
/// </summary>
internal sealed class FontSubsetter(PdfFace whole)
{
    private const string Lib = "libHarfBuzzSharp";

    /// <summary>
    /// A font file holding the glyphs of <paramref name="characters"/> (mapped in its cmap, so text stays extractable)
    /// and <paramref name="glyphs"/> (what shaping chose), without the layout tables a PDF viewer never reads, and the
    /// new number of each kept glyph (indexed by the old one, <paramref name="glyphCount"/> long).
    /// </summary>
    public (byte[] Font, ushort[] OldToNew) Subset(IEnumerable<int> characters, IEnumerable<ushort> glyphs, int glyphCount)
    {
        var input = hb_subset_input_create_or_fail();
        if (input == IntPtr.Zero) throw new OutOfMemoryException("hb_subset_input_create_or_fail");
        IntPtr plan;
        try
        {
            var unicodes = hb_subset_input_unicode_set(input);
            foreach (var c in characters) hb_set_add(unicodes, (uint)c);
            var glyphSet = hb_subset_input_glyph_set(input);
            foreach (var g in glyphs) hb_set_add(glyphSet, g);
            var drop = hb_subset_input_set(input, SetDropTableTag);
            foreach (var tag in LayoutTables) hb_set_add(drop, tag);
            plan = hb_subset_plan_create_or_fail(whole.HarfBuzzFace.Handle, input); // the plan keeps its own reference
        }
        finally { hb_subset_input_destroy(input); }
        if (plan == IntPtr.Zero) throw new InvalidOperationException("HarfBuzz could not plan the font's subset.");
        try
        {
            var map = hb_subset_plan_old_to_new_glyph_mapping(plan);
            var oldToNew = new ushort[glyphCount];
            foreach (var g in glyphs)
            {
                var mapped = hb_map_get(map, g);
                if (mapped == uint.MaxValue) throw new InvalidOperationException($"The subset lost glyph {g}.");
                oldToNew[g] = (ushort)mapped;
            }
            var subset = hb_subset_plan_execute_or_fail(plan);
            if (subset == IntPtr.Zero) throw new InvalidOperationException("HarfBuzz could not subset the font.");
            try
            {
                var blob = hb_face_reference_blob(subset); // serialises the subset's tables into one font file
                try
                {
                    var bytes = hb_blob_get_data(blob, out var length);
                    if (bytes == IntPtr.Zero || length == 0) throw new InvalidOperationException("HarfBuzz could not write the subset font.");
                    var font = new byte[length];
                    Marshal.Copy(bytes, font, 0, (int)length);
                    return (font, oldToNew);
                }
                finally { hb_blob_destroy(blob); }
            }
            finally { hb_face_destroy(subset); }
        }
        finally { hb_subset_plan_destroy(plan); }
    }

    private const int SetDropTableTag = 3; // HB_SUBSET_SETS_DROP_TABLE_TAG
    /// <summary>GSUB, GPOS, GDEF: shaping is done before the PDF is written; viewers draw the glyphs they are given.</summary>
    private static readonly uint[] LayoutTables = [0x47535542, 0x47504F53, 0x47444546];

    [DllImport(Lib)] private static extern void hb_blob_destroy(IntPtr blob);
    [DllImport(Lib)] private static extern IntPtr hb_blob_get_data(IntPtr blob, out uint length);
    [DllImport(Lib)] private static extern void hb_face_destroy(IntPtr face);
    [DllImport(Lib)] private static extern IntPtr hb_face_reference_blob(IntPtr face);
    [DllImport(Lib)] private static extern void hb_set_add(IntPtr set, uint codepoint);
    [DllImport(Lib)] private static extern IntPtr hb_subset_input_create_or_fail();
    [DllImport(Lib)] private static extern void hb_subset_input_destroy(IntPtr input);
    [DllImport(Lib)] private static extern IntPtr hb_subset_input_unicode_set(IntPtr input);
    [DllImport(Lib)] private static extern IntPtr hb_subset_input_glyph_set(IntPtr input);
    [DllImport(Lib)] private static extern IntPtr hb_subset_input_set(IntPtr input, int setType);
    [DllImport(Lib)] private static extern IntPtr hb_subset_plan_create_or_fail(IntPtr face, IntPtr input);
    [DllImport(Lib)] private static extern IntPtr hb_subset_plan_old_to_new_glyph_mapping(IntPtr plan);
    [DllImport(Lib)] private static extern IntPtr hb_subset_plan_execute_or_fail(IntPtr plan);
    [DllImport(Lib)] private static extern void hb_subset_plan_destroy(IntPtr plan);
    [DllImport(Lib)] private static extern uint hb_map_get(IntPtr map, uint key);
}
