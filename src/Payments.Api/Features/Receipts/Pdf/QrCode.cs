using System.Text;

namespace Payments.Api.Features.Receipts.Pdf;

/// <summary>
/// A QR code (ISO/IEC 18004, model 2) for a receipt's verification link: byte mode, error correction level M, the
/// smallest version that holds the text, and the mask with the lowest penalty. Written here rather than taken from
/// QRCoder because a receipt is drawn on every download and QRCoder spent ~0.3 ms of a 2 ms receipt choosing the mask
/// over bit arrays (docs/BENCHMARKS.md). The tests read what this draws back with a real scanner (zbar), for versions 1
/// to 13.
/// </summary>
public static class QrCode
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

    private sealed class Builder(int version)
    {
        private readonly int _size = version * 4 + 17;
        private readonly bool[] _modules = new bool[(version * 4 + 17) * (version * 4 + 17)]; // row by row
        private readonly bool[] _function = new bool[(version * 4 + 17) * (version * 4 + 17)];

        private void Set(int x, int y, bool dark)
        {
            _modules[y * _size + x] = dark;
            _function[y * _size + x] = true;
        }

        public bool[,] ToMatrix()
        {
            var matrix = new bool[_size, _size];
            for (var y = 0; y < _size; y++)
                for (var x = 0; x < _size; x++)
                    matrix[y, x] = _modules[y * _size + x];
            return matrix;
        }

        public void DrawFunctionPatterns()
        {
            for (var i = 0; i < _size; i++)
            {
                Set(6, i, i % 2 == 0);
                Set(i, 6, i % 2 == 0);
            }
            Finder(3, 3);
            Finder(_size - 4, 3);
            Finder(3, _size - 4);
            var positions = AlignmentPositions();
            var last = positions.Length - 1;
            for (var i = 0; i <= last; i++)
                for (var j = 0; j <= last; j++)
                    if (!(i == 0 && j == 0 || i == 0 && j == last || i == last && j == 0)) // not on a finder
                        Alignment(positions[i], positions[j]);
            DrawFormatBits(0); // reserves the area; the chosen mask's bits are drawn last
            DrawVersion();
        }

        private void Finder(int x, int y)
        {
            for (var dy = -4; dy <= 4; dy++)
                for (var dx = -4; dx <= 4; dx++)
                {
                    var distance = Math.Max(Math.Abs(dx), Math.Abs(dy));
                    int xx = x + dx, yy = y + dy;
                    if (xx >= 0 && xx < _size && yy >= 0 && yy < _size) Set(xx, yy, distance != 2 && distance != 4);
                }
        }

        private void Alignment(int x, int y)
        {
            for (var dy = -2; dy <= 2; dy++)
                for (var dx = -2; dx <= 2; dx++)
                    Set(x + dx, y + dy, Math.Max(Math.Abs(dx), Math.Abs(dy)) != 1);
        }

        private int[] AlignmentPositions()
        {
            if (version == 1) return [];
            var count = version / 7 + 2;
            var step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
            var result = new int[count];
            result[0] = 6;
            for (int i = count - 1, position = _size - 7; i >= 1; i--, position -= step) result[i] = position;
            return result;
        }

        public void DrawFormatBits(int mask)
        {
            var data = FormatBitsM << 3 | mask;
            var remainder = data;
            for (var i = 0; i < 10; i++) remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
            var bits = (data << 10 | remainder) ^ 0x5412;
            for (var i = 0; i <= 5; i++) Set(8, i, Bit(bits, i));
            Set(8, 7, Bit(bits, 6));
            Set(8, 8, Bit(bits, 7));
            Set(7, 8, Bit(bits, 8));
            for (var i = 9; i < 15; i++) Set(14 - i, 8, Bit(bits, i));
            for (var i = 0; i < 8; i++) Set(_size - 1 - i, 8, Bit(bits, i));
            for (var i = 8; i < 15; i++) Set(8, _size - 15 + i, Bit(bits, i));
            Set(8, _size - 8, true); // the dark module
        }

        private void DrawVersion()
        {
            if (version < 7) return;
            var remainder = version;
            for (var i = 0; i < 12; i++) remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25);
            var bits = version << 12 | remainder;
            for (var i = 0; i < 18; i++)
            {
                int a = _size - 11 + i % 3, b = i / 3;
                Set(a, b, Bit(bits, i));
                Set(b, a, Bit(bits, i));
            }
        }

        public void DrawCodewords(byte[] data)
        {
            var i = 0;
            for (var right = _size - 1; right >= 1; right -= 2)
            {
                if (right == 6) right = 5; // the vertical timing pattern
                for (var vertical = 0; vertical < _size; vertical++)
                    for (var j = 0; j < 2; j++)
                    {
                        var x = right - j;
                        var y = ((right + 1) & 2) == 0 ? _size - 1 - vertical : vertical;
                        if (_function[y * _size + x] || i >= data.Length * 8) continue;
                        _modules[y * _size + x] = Bit(data[i >> 3], 7 - (i & 7));
                        i++;
                    }
            }
        }

        public bool[][] MaskPatterns()
        {
            var result = new bool[8][];
            for (var mask = 0; mask < 8; mask++)
            {
                var flips = result[mask] = new bool[_size * _size];
                for (var y = 0; y < _size; y++)
                    for (var x = 0; x < _size; x++)
                        flips[y * _size + x] = !_function[y * _size + x] && mask switch
                        {
                            0 => (x + y) % 2 == 0,
                            1 => y % 2 == 0,
                            2 => x % 3 == 0,
                            3 => (x + y) % 3 == 0,
                            4 => (x / 3 + y / 2) % 2 == 0,
                            5 => x * y % 2 + x * y % 3 == 0,
                            6 => (x * y % 2 + x * y % 3) % 2 == 0,
                            _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                        };
            }
            return result;
        }

        public void Xor(bool[] flips)
        {
            for (var i = 0; i < _modules.Length; i++) _modules[i] ^= flips[i];
        }

        /// <summary>
        /// The standard's penalty: runs of five or more, 2×2 blocks, finder-like patterns, dark/light balance. Up to 64
        /// modules a side (version 11) each row and column is a word, and runs, blocks and dark modules are counted a
        /// word at a time (<see cref="PenaltyByWords"/>; a test holds it to this module-by-module count).
        /// </summary>
        public int Penalty() => _size <= 64 ? PenaltyByWords() : PenaltyByModules();

        internal int PenaltyByWords()
        {
            var size = _size;
            Span<ulong> rows = stackalloc ulong[size], columns = stackalloc ulong[size];
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var dark = (ulong)(_modules[y * size + x] ? 1 : 0);
                    rows[y] |= dark << x;
                    columns[x] |= dark << y;
                }
            var result = 0;
            var darkCount = 0;
            for (var a = 0; a < size; a++)
            {
                result += LinePenalty(rows[a], size) + LinePenalty(columns[a], size);
                darkCount += System.Numerics.BitOperations.PopCount(rows[a]);
            }
            var inner = size == 64 ? ulong.MaxValue >> 1 : (1UL << (size - 1)) - 1; // block corners: columns 0 … size-2
            for (var y = 0; y < size - 1; y++)
            {
                ulong top = rows[y], bottom = rows[y + 1];
                var same = ~(top ^ bottom) & ~(top ^ (top >> 1)) & ~(bottom ^ (bottom >> 1)) & inner;
                result += 3 * System.Numerics.BitOperations.PopCount(same);
            }
            var total = size * size;
            result += ((Math.Abs(darkCount * 20 - total * 10) + total - 1) / total - 1) * 10;
            return result;
        }

        /// <summary>Runs of five or more and finder-like patterns along one row or column, a run at a time.</summary>
        private static int LinePenalty(ulong line, int size)
        {
            var result = 0;
            var history = new History();
            var runDark = false;
            var run = 0;
            for (var x = 0; x < size;)
            {
                var rest = line >> x;
                var dark = (rest & 1) != 0;
                var length = Math.Min(System.Numerics.BitOperations.TrailingZeroCount(dark ? ~rest : rest), size - x);
                x += length;
                if (dark == runDark) run += length; // only a light first run: it joins the quiet zone's empty start
                else
                {
                    history.Push(run, size);
                    if (!runDark) result += history.FinderLike() * 40;
                    runDark = dark;
                    run = length;
                }
                if (run >= 5) result += 3 + (run - 5); // each run is met once: a joined first run had length 0 before
            }
            if (runDark)
            {
                history.Push(run, size);
                run = 0;
            }
            history.Push(run + size, size); // the light quiet zone after the last run
            return result + history.FinderLike() * 40;
        }

        internal int PenaltyByModules()
        {
            var result = 0;
            var m = _modules;
            var size = _size;
            for (var pass = 0; pass < 2; pass++) // rows, then columns
            {
                int step = pass == 0 ? 1 : size, lineStep = pass == 0 ? size : 1;
                for (var a = 0; a < size; a++)
                {
                    var runDark = false;
                    var run = 0;
                    var history = new History();
                    for (int b = 0, i = a * lineStep; b < size; b++, i += step)
                    {
                        if (m[i] == runDark)
                        {
                            run++;
                            if (run == 5) result += 3;
                            else if (run > 5) result++;
                        }
                        else
                        {
                            history.Push(run, size);
                            if (!runDark) result += history.FinderLike() * 40;
                            runDark = m[i];
                            run = 1;
                        }
                    }
                    if (runDark)
                    {
                        history.Push(run, size);
                        run = 0;
                    }
                    history.Push(run + size, size); // the light quiet zone after the last run
                    result += history.FinderLike() * 40;
                }
            }
            var darkCount = 0;
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var i = y * size + x;
                    var dark = m[i];
                    if (dark) darkCount++;
                    if (y < size - 1 && x < size - 1 && dark == m[i + 1] && dark == m[i + size] && dark == m[i + size + 1])
                        result += 3;
                }
            var total = size * size;
            result += ((Math.Abs(darkCount * 20 - total * 10) + total - 1) / total - 1) * 10;
            return result;
        }

        /// <summary>The last seven run lengths of a row or column, newest first.</summary>
        private struct History
        {
            private int _h0, _h1, _h2, _h3, _h4, _h5, _h6;

            public void Push(int run, int size)
            {
                if (_h0 == 0) run += size; // the light quiet zone before the first run
                (_h6, _h5, _h4, _h3, _h2, _h1, _h0) = (_h5, _h4, _h3, _h2, _h1, _h0, run);
            }

            /// <summary>1:1:3:1:1 dark-light-dark-light-dark with four light modules on either side: 0, 1 or 2.</summary>
            public readonly int FinderLike()
            {
                var n = _h1;
                var core = n > 0 && _h2 == n && _h3 == n * 3 && _h4 == n && _h5 == n;
                return (core && _h0 >= n * 4 && _h6 >= n ? 1 : 0) + (core && _h6 >= n * 4 && _h0 >= n ? 1 : 0);
            }
        }

        private static bool Bit(int x, int i) => ((x >> i) & 1) != 0;
    }
}
