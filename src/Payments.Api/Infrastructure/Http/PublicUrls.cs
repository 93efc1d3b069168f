namespace Payments.Api.Infrastructure.Http;

/// <summary>
/// Absolute URLs the outside world sees (payment page, wallet return). Configuration Payments:PublicBaseUrl wins;
/// without it the current request's scheme and host are used (fine for one node; set it behind a load balancer).
/// </summary>
public sealed class PublicUrls(IConfiguration config, IHttpContextAccessor http)
{
    public string BaseUrl
    {
        get
        {
            var configured = config["Payments:PublicBaseUrl"];
            if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
            var request = http.HttpContext?.Request ?? throw new InvalidOperationException("Set Payments:PublicBaseUrl for work outside a request.");
            return $"{request.Scheme}://{request.Host}{request.PathBase}";
        }
    }

    public string PayPage(string payToken) => $"{BaseUrl}/pay/{Uri.EscapeDataString(payToken)}";

    public string Verify(string verifyToken) => $"{BaseUrl}/verify/{Uri.EscapeDataString(verifyToken)}";
}
