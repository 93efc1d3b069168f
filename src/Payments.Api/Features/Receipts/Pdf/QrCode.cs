using System.Text;

namespace Payments.Api.Features.Receipts.Pdf;

/// <summary>
/// A QR code (ISO/IEC 18004, model 2) for a receipt's verification link: byte mode, error correction level M, the
/// smallest version that holds the text, and the mask with the lowest penalty. Written here rather than taken from
/// QRCoder because a receipt is drawn on every download and QRCoder spent ~0.3 ms of a 2 ms receipt choosing the mask
/// over bit arrays (docs/BENCHMARKS.md). The tests read what this draws back with a real scanner (zbar), for versions 1
/// to 13.
/// </summary>
public static partial class QrCode
{
    // Level M, per version (index 0 unused): error correction codewords per block, and number of blocks.
    private static readonly byte[] EccPerBlock =
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
    private static readonly byte[] Blocks =
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
    private const int FormatBitsM = 0; // L = 1, M = 0, Q = 3, H = 2
    /// <summary>Per version, the eight masks as the modules they flip (never a function module).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool[][]> MaskPatterns = new();

    /// <summary>The modules, <c>[row, column]</c>, true for dark, without the quiet zone around them.</summary>
    public static bool[,] Encode(string text)
    {
        var (qr, version) = Filled(text);
        var masks = MaskPatterns.GetOrAdd(version, static (_, qr) => qr.MaskPatterns(), qr);
        var best = -1;
        var bestPenalty = int.MaxValue;
        for (var mask = 0; mask < 8; mask++)
        {
            qr.Xor(masks[mask]);
            qr.DrawFormatBits(mask);
            var penalty = qr.Penalty();
            if (penalty < bestPenalty) (best, bestPenalty) = (mask, penalty);
            qr.Xor(masks[mask]); // again: undone
        }
        qr.Xor(masks[best]);
        qr.DrawFormatBits(best);
        return qr.ToMatrix();
    }

    /// <summary>For the tests: each mask's penalty counted both ways, word at a time and module by module.</summary>
    internal static (int ByWords, int ByModules)[] PenaltiesBothWays(string text)
    {
        var (qr, _) = Filled(text);
        var masks = qr.MaskPatterns();
        var result = new (int, int)[8];
        for (var mask = 0; mask < 8; mask++)
        {
            qr.Xor(masks[mask]);
            qr.DrawFormatBits(mask);
            result[mask] = (qr.PenaltyByWords(), qr.PenaltyByModules());
            qr.Xor(masks[mask]);
        }
        return result;
    }

    /// <summary>The symbol of the smallest version that holds <paramref name="text"/>, data placed, not yet masked.</summary>
    private static (Builder Qr, int Version) Filled(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // Readers take byte mode as ISO-8859-1 unless told: text beyond ASCII says "UTF-8" first (ECI 26).
        var utf8 = bytes.Length != text.Length;
        var version = 1;
        while (DataCapacityBits(version) < (utf8 ? 12 : 0) + 4 + (version < 10 ? 8 : 16) + 8 * bytes.Length)
            if (++version > 40) throw new ArgumentException("Too long for a QR code.", nameof(text));
        var qr = new Builder(version);
        qr.DrawFunctionPatterns();
        qr.DrawCodewords(Interleave(DataCodewords(bytes, utf8, version), version));
        return (qr, version);
    }

    private static int RawDataModules(int version)
    {
        var result = (16 * version + 128) * version + 64;
        if (version >= 2)
        {
            var align = version / 7 + 2;
            result -= (25 * align - 10) * align - 55;
            if (version >= 7) result -= 36;
        }
        return result;
    }

    private static int DataCapacityBits(int version) => (RawDataModules(version) / 8 - EccPerBlock[version] * Blocks[version]) * 8;

    private static byte[] DataCodewords(byte[] bytes, bool utf8, int version)
    {
        var capacity = DataCapacityBits(version) / 8;
        var bits = new BitWriter(capacity);
        if (utf8)
        {
            bits.Append(0b0111, 4); // ECI
            bits.Append(26, 8);     // UTF-8
        }
        bits.Append(0b0100, 4); // byte mode
        bits.Append(bytes.Length, version < 10 ? 8 : 16);
        foreach (var b in bytes) bits.Append(b, 8);
        bits.Append(0, Math.Min(4, capacity * 8 - bits.Length)); // terminator
        bits.Append(0, (8 - bits.Length % 8) % 8);
        for (var pad = 0xEC; bits.Length < capacity * 8; pad ^= 0xEC ^ 0x11) bits.Append(pad, 8);
        return bits.Bytes;
    }

    private static byte[] Interleave(byte[] data, int version)
    {
        int blocks = Blocks[version], eccLength = EccPerBlock[version], raw = RawDataModules(version) / 8;
        var shortBlocks = blocks - raw % blocks;
        var shortLength = raw / blocks;
        var divisor = ReedSolomonDivisor(eccLength);
        var all = new byte[blocks][];
        for (int i = 0, k = 0; i < blocks; i++)
        {
            var length = shortLength - eccLength + (i < shortBlocks ? 0 : 1);
            var block = new byte[shortLength + 1];
            Array.Copy(data, k, block, 0, length);
            ReedSolomonRemainder(data.AsSpan(k, length), divisor).CopyTo(block, block.Length - eccLength);
            k += length;
            all[i] = block;
        }
        var result = new byte[raw];
        for (int i = 0, k = 0; i < shortLength + 1; i++)
            for (var j = 0; j < blocks; j++)
                if (i != shortLength - eccLength || j >= shortBlocks) // short blocks have no byte there
                    result[k++] = all[j][i];
        return result;
    }

    private static byte[] ReedSolomonDivisor(int degree)
    {
        var result = new byte[degree];
        result[degree - 1] = 1;
        var root = 1;
        for (var i = 0; i < degree; i++)
        {
            for (var j = 0; j < degree; j++)
            {
                result[j] = Multiply(result[j], root);
                if (j + 1 < degree) result[j] ^= result[j + 1];
            }
            root = Multiply(root, 0x02);
        }
        return result;
    }

    private static byte[] ReedSolomonRemainder(ReadOnlySpan<byte> data, byte[] divisor)
    {
        var result = new byte[divisor.Length];
        foreach (var b in data)
        {
            var factor = b ^ result[0];
            Array.Copy(result, 1, result, 0, result.Length - 1);
            result[^1] = 0;
            for (var i = 0; i < result.Length; i++) result[i] ^= Multiply(divisor[i], factor);
        }
        return result;
    }

    /// <summary>Product in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1.</summary>
    private static byte Multiply(int x, int y)
    {
        var z = 0;
        for (var i = 7; i >= 0; i--)
        {
            z = (z << 1) ^ ((z >> 7) * 0x11D);
            z ^= ((y >> i) & 1) * x;
        }
        return (byte)z;
    }

    private sealed class BitWriter(int capacityBytes)
    {
        public byte[] Bytes { get; } = new byte[capacityBytes];
        public int Length { get; private set; }

        public void Append(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--, Length++)
                if (((value >> i) & 1) != 0) Bytes[Length >> 3] |= (byte)(0x80 >> (Length & 7));
        }
    }
}
