using System.Text.RegularExpressions;
using Payments.Api.Infrastructure.Auth;

namespace Payments.Api.Tests;

/// <summary>Pay and verify tokens: unguessable bearer links whose text sorts by the time they were made (ADR-0029).</summary>
public class TokenTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_is_32_url_safe_characters()
    {
        for (var i = 0; i < 200; i++)
            Assert.Matches(new Regex("^[-0-9A-Za-z_]{32}$"), Tokens.NewSortableToken(At.AddMilliseconds(i * 7919)));
    }

    [Fact]
    public void Tokens_sort_in_the_order_they_were_made_to_the_millisecond()
    {
        // Every millisecond for ~5 minutes crosses each of the time's base64 digits many times over, and ordinal text order
        // must follow time across all of them (a plain base64url alphabet does not: '-' and '_' and digits sort out of place).
        var previous = Tokens.NewSortableToken(At);
        for (var ms = 1; ms < 300_000; ms += 1)
        {
            var next = Tokens.NewSortableToken(At.AddMilliseconds(ms));
            Assert.True(string.CompareOrdinal(previous, next) < 0, $"{previous} !< {next} at +{ms} ms");
            previous = next;
        }
    }

    [Fact]
    public void Tokens_of_the_same_millisecond_share_the_time_and_differ_in_144_random_bits()
    {
        var tokens = Enumerable.Range(0, 10_000).Select(_ => Tokens.NewSortableToken(At)).ToList();
        Assert.Single(tokens.Select(t => t[..8]).Distinct());
        Assert.Equal(tokens.Count, tokens.Select(t => t[8..]).Distinct(StringComparer.Ordinal).Count());
        // Each of the 24 random characters takes many values across the set: nothing is fixed or derived from the time.
        for (var c = 8; c < 32; c++) Assert.True(tokens.Select(t => t[c]).Distinct().Count() > 48, $"character {c} is not random");
    }

    [Fact]
    public void The_time_in_a_token_is_the_unix_time_in_milliseconds()
    {
        const string alphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
        var token = Tokens.NewSortableToken(At);
        // 48 bits of time are the first 8 characters (6 bits each).
        var ms = token[..8].Aggregate(0L, (acc, ch) => acc << 6 | (long)alphabet.IndexOf(ch));
        Assert.Equal(At.ToUnixTimeMilliseconds(), ms);
    }
}
