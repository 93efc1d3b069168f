using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Payments.Api.Infrastructure.Http;

internal static class Json
{
    /// <summary>
    /// Vietnamese letters go out as UTF-8, not as <c>\uXXXX</c>: readable in a portal's logs, and a stored create-order
    /// response is ~15 % smaller. Characters that matter in HTML (&lt;, &gt;, &amp;, quotes, +) are still escaped, and
    /// so are invisible formatting characters (bidirectional overrides, zero-width characters, the soft hyphen, the BOM)
    /// that could make a payer's name or a dossier code read as something else where it is shown.
    /// </summary>
    public static readonly JavaScriptEncoder Encoder = CreateEncoder();

    private static JavaScriptEncoder CreateEncoder()
    {
        var settings = new TextEncoderSettings(UnicodeRanges.All);
        settings.ForbidCharacters('\u00AD', '\u061C', '\u180E', '\uFEFF');
        settings.ForbidRange(UnicodeRange.Create('\u200B', '\u200F'));
        settings.ForbidRange(UnicodeRange.Create('\u202A', '\u202E'));
        settings.ForbidRange(UnicodeRange.Create('\u2060', '\u206F'));
        return JavaScriptEncoder.Create(settings);
    }

    /// <summary>The same settings the HTTP pipeline uses (camelCase, <see cref="Encoder"/>), for stored responses and outbox payloads.</summary>
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { Encoder = Encoder };

    /// <summary>
    /// What an Idempotency-Key's request fingerprint is computed with: fixed for good, so that a retry after an upgrade
    /// still matches the fingerprint stored before it (these are the settings of the first fingerprints).
    /// </summary>
    public static readonly JsonSerializerOptions Fingerprint = new(JsonSerializerDefaults.Web);
}
