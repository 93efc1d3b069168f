namespace Payments.Api.Features.Receipts.Pdf;

public static partial class QrCode
{
    /// <summary>One symbol being built: function patterns, data modules, masks and the mask penalty.</summary>
    private sealed partial class Builder(int version)
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

        private static bool Bit(int x, int i) => ((x >> i) & 1) != 0;
    }
}
