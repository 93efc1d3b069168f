using System.Text.Encodings.Web;

namespace Payments.Api.Infrastructure.Http;

/// <summary>Minimal server-rendered pages (no CDN, no script). Every interpolated value goes through <see cref="E"/>.</summary>
internal static class HtmlPage
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#1b1b1b}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}
        td.n,th.n{text-align:right;white-space:nowrap}.total{font-weight:bold;font-size:1.2rem}
        button{font-size:1rem;padding:.6rem 1rem;margin:.3rem .3rem .3rem 0;cursor:pointer}
        .status{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;background:#eef}
        .paid{background:#dfd}.bad{background:#fdd}.muted{color:#666;font-size:.9rem}
        """;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string E(string? value) => Encoder.Encode(value ?? "");

    public static IResult Render(string title, string body, int status = 200, int? refreshSeconds = null, string lang = "vi")
    {
        var refresh = refreshSeconds is { } s ? $"<meta http-equiv=\"refresh\" content=\"{s}\">" : "";
        var html = $"""
            <!doctype html><html lang="{lang}"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width,initial-scale=1">{refresh}
            <title>{E(title)}</title><style>{Style}</style></head><body>{body}</body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
