using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Payments.Api.Tests;

/// <summary>Steps of the payment flow, shared by the tests.</summary>
public static class Flow
{
    public static async Task<JsonElement> CreateOrderAsync(this HttpClient portal, object? body = null, string? key = null)
    {
        var res = await portal.SendAsync(Wire.CreateOrder(body ?? Wire.OrderBody(), key ?? Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        return await res.Json();
    }

    public static async Task<JsonElement> StartAttemptAsync(this HttpClient portal, string orderId)
    {
        var res = await portal.PostAsJsonAsync($"/api/v1/payment-orders/{orderId}/attempts", new { provider = "sandbox" });
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        return await res.Json();
    }

    /// <summary>Sends the wallet's IPN and returns its RspCode.</summary>
    public static async Task<string> SendIpnAsync(this HttpClient client, string query, bool asForm = false)
    {
        var res = asForm
            ? await client.PostAsync("/callbacks/sandbox", new StringContent(query, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"))
            : await client.GetAsync("/callbacks/sandbox?" + query);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        return (await res.Json()).GetProperty("RspCode").GetString()!;
    }

    public static async Task<JsonElement> GetOrderAsync(this HttpClient portal, string id) =>
        await (await portal.GetAsync($"/api/v1/payment-orders/{id}")).Json();

    /// <summary>Create, start an attempt and confirm it with a signed IPN; returns the order id.</summary>
    public static Task<string> PayAsync(this HttpClient portal, string dossier, string? transactionNo = null) =>
        portal.PayAsync(Wire.OrderBody(dossier: dossier), transactionNo);

    /// <summary>Create the given order, start an attempt and confirm it with a signed IPN; returns the order id.</summary>
    public static async Task<string> PayAsync(this HttpClient portal, object body, string? transactionNo = null)
    {
        var order = await portal.CreateOrderAsync(body);
        var id = order.GetProperty("id").GetString()!;
        var attempt = await portal.StartAttemptAsync(id);
        var amount = order.GetProperty("amount").GetProperty("value").GetInt64();
        var code = await portal.SendIpnAsync(Wire.Ipn(attempt.GetProperty("providerReference").GetString()!, amount * 100,
            transactionNo ?? Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString()));
        Assert.Equal("00", code);
        return id;
    }
}
