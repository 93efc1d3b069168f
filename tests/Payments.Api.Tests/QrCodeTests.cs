using System.Diagnostics;
using Payments.Api.Features.Receipts.Pdf;
using SkiaSharp;

namespace Payments.Api.Tests;

/// <summary>
/// The receipt's own QR encoder: a real scanner must read back what it draws, across the versions a verification link
/// can need (1 to 13, with the version information blocks from 7 on), at the smallest version the standard allows.
/// </summary>
public sealed class QrCodeTests
{
    public static TheoryData<int> Lengths => new() { 1, 14, 15, 40, 51, 64, 106, 122, 152, 180, 181, 213, 251, 300, 331 };

    private static string Payload(int length) =>
        string.Concat(Enumerable.Range(0, length).Select(i => "https://payments.example.gov.vn/verify/Ab9_-"[i % 44]));

    /// <summary>Bytes a level-M symbol holds in byte mode, versions 1 to 13 (ISO/IEC 18004, table 7).</summary>
    private static readonly int[] CapacityM = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331];

    /// <remarks>
    /// Against the standard's table, not QRCoder, which takes a larger version than it needs at some lengths (181).
    /// </remarks>
    [Theory, MemberData(nameof(Lengths))]
    public void Takes_the_smallest_version_that_holds_the_text(int length)
    {
        var version = Array.FindIndex(CapacityM, c => c >= length) + 1;
        Assert.Equal(17 + 4 * version, QrCode.Encode(Payload(length)).GetLength(0));
    }

    [Fact]
    public void Text_beyond_ASCII_is_marked_UTF8_and_reads_back_whole()
    {
        const string text = "https://dịch-vụ.example.vn/verify/Biên-lai-Ánh-Tuyết";
        Assert.Equal(text, Scan(QrCode.Encode(text)));
    }

    [Theory, MemberData(nameof(Lengths))]
    public void The_word_at_a_time_penalty_is_the_module_by_module_one(int length)
    {
        foreach (var (byWords, byModules) in QrCode.PenaltiesBothWays(Payload(length)))
            if (length <= 213) Assert.Equal(byModules, byWords); // up to version 11, where words are used
    }

    [Theory, MemberData(nameof(Lengths))]
    public void A_scanner_reads_it_back(int length)
    {
        var text = Payload(length);
        Assert.Equal(text, Scan(QrCode.Encode(text)));
    }

    /// <summary>What zbar reads from the modules drawn at 4 px a module with the quiet zone.</summary>
    private static string Scan(bool[,] modules)
    {
        if (!File.Exists("/usr/bin/zbarimg")) Assert.Fail("zbarimg is missing: apt-get install zbar-tools (./test.sh does this when run as root).");
        var size = modules.GetLength(0);
        const int scale = 4, quiet = 4;
        using var bitmap = new SKBitmap((size + 2 * quiet) * scale, (size + 2 * quiet) * scale);
        using (var canvas = new SKCanvas(bitmap))
        using (var ink = new SKPaint { Color = SKColors.Black })
        {
            canvas.Clear(SKColors.White);
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                    if (modules[y, x]) canvas.DrawRect((x + quiet) * scale, (y + quiet) * scale, scale, scale, ink);
        }
        var file = Path.Combine(Path.GetTempPath(), $"qr-{Guid.NewGuid():N}.png");
        try
        {
            using (var png = File.Create(file)) bitmap.Encode(png, SKEncodedImageFormat.Png, 100);
            using var zbar = Process.Start(new ProcessStartInfo("/usr/bin/zbarimg", ["-q", "--raw", file]) { RedirectStandardOutput = true })!;
            var read = zbar.StandardOutput.ReadToEnd();
            zbar.WaitForExit();
            return read.TrimEnd('\n');
        }
        finally { File.Delete(file); }
    }
}
