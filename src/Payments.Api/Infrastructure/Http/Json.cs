using System.Text.Json;

namespace Payments.Api.Infrastructure.Http;

internal static class Json
{
    /// <summary>The same settings the HTTP pipeline uses (camelCase), for stored responses and outbox payloads.</summary>
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
