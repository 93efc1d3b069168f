namespace Payments.Api.Features.Receipts.Pdf;

public static partial class QrCode
{
    private sealed partial class Builder
    {
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
    }
}
