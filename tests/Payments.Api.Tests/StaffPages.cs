using System.Text.RegularExpressions;

namespace Payments.Api.Tests;

/// <summary>Driving the staff pages as a browser does: sign in, read the antiforgery token, post a form.</summary>
public static partial class StaffPages
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    public static partial Regex Antiforgery();

    public static async Task<string> TokenAsync(HttpClient browser, string path) =>
        Antiforgery().Match(await (await browser.GetAsync(path)).Content.ReadAsStringAsync()).Groups[1].Value;

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password = ApiFactory.StaffPassword) =>
        await browser.PostAsync("/staff/sign-in", new FormUrlEncodedContent(
        [
            new("Email", email), new("Password", password), new("__RequestVerificationToken", await TokenAsync(browser, "/staff/sign-in")),
        ]));

    public static async Task<string> PostFormAsync(HttpClient browser, string path, string handler, params KeyValuePair<string, string>[] fields)
    {
        var page = await (await browser.GetAsync(path)).Content.ReadAsStringAsync();
        var form = Regex.Match(page, $"<form method=\"post\" action=\"([^\"]+handler={handler})\">(.*?)</form>", RegexOptions.Singleline);
        return await (await browser.PostAsync(System.Net.WebUtility.HtmlDecode(form.Groups[1].Value), new FormUrlEncodedContent(
            [.. fields, new("__RequestVerificationToken", Antiforgery().Match(form.Groups[2].Value).Groups[1].Value)]))).Content.ReadAsStringAsync();
    }

}
