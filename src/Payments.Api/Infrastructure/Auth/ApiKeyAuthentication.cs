using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Infrastructure.Auth;

/// <summary>`Authorization: Bearer &lt;api key&gt;` for portal systems; one client per agency.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, PaymentsDbContext db, ReadCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string AgencyClaim = "agency";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("Not a bearer token.");
        var key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 200) return AuthenticateResult.Fail("Malformed key.");

        var hash = ApiKeys.Hash(key);
        var cacheKey = cache.Grouped(ReadCache.Clients, hash);
        if (!cache.TryGet<ApiClient>(cacheKey, out var client))
        {
            var generation = cache.Generation(ReadCache.Clients);
            client = await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(c => c.KeyHash == hash, Context.RequestAborted);
            if (client is null) return AuthenticateResult.Fail("Unknown or revoked key.");
            cache.Put(cacheKey, generation, client, ReadCache.Clients);
        }
        if (client.RevokedAt is not null) return AuthenticateResult.Fail("Unknown or revoked key.");
        return AuthenticateResult.Success(new AuthenticationTicket(PrincipalOf(client), SchemeName));
    }

    private static ClaimsPrincipal PrincipalOf(ApiClient client)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, client.Id.ToString()), new Claim(ClaimTypes.Name, client.Name), new Claim(AgencyClaim, client.AgencyCode),
             .. client.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(ScopeClaim, s))],
            SchemeName);
        return new ClaimsPrincipal(identity);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Write(401, "unauthorized", "Send a valid API key as 'Authorization: Bearer <key>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Write(403, "forbidden", "This API key may not do that.");

    private Task Write(int status, string code, string detail)
    {
        Response.StatusCode = status;
        if (status == 401) Response.Headers.WWWAuthenticate = "Bearer";
        return Response.WriteAsJsonAsync(Problems.Build(status, code, detail), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}

/// <summary>The calling portal client, as the API key identified it.</summary>
/// <param name="IsStaff">A signed-in member of staff acting through the pages (Name is then their name and e-mail).</param>
public sealed record CallingClient(Guid Id, string AgencyCode, string Name = "", bool IsStaff = false)
{
    /// <summary>Who did it, as the audit trail records it.</summary>
    public string Actor => IsStaff ? $"staff:{Name}" : $"api-client:{Name} ({Id})";

    public static CallingClient From(ClaimsPrincipal user) =>
        new(Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), user.FindFirstValue(ApiKeyAuthenticationHandler.AgencyClaim)!,
            user.FindFirstValue(ClaimTypes.Name) ?? "");
}
