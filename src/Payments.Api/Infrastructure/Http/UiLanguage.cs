namespace Payments.Api.Infrastructure.Http;

/// <summary>
/// Pages are in Vietnamese first with an English switch: <c>?lang=en|vi</c> wins and is remembered in a cookie
/// (one year, HttpOnly, shared by the citizen and staff pages); otherwise the cookie; otherwise Vietnamese.
/// </summary>
public static class UiLanguage
{
    public const string Cookie = "lang";

    public static bool IsEnglish(HttpContext http)
    {
        var asked = http.Request.Query["lang"].ToString();
        return (asked is "en" or "vi" ? asked : http.Request.Cookies[Cookie]) == "en";
    }

    /// <summary>Remembers an explicit <c>?lang=</c> before any page starts writing its response.</summary>
    public static IApplicationBuilder UseUiLanguage(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var asked = http.Request.Query["lang"].ToString();
        if (asked is "en" or "vi")
            http.Response.Cookies.Append(Cookie, asked, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365), Secure = http.Request.IsHttps,
            });
        await next(http);
    });
}
