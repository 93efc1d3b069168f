using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Payments.Providers.Wallet;

namespace Payments.Benchmarks;

/// <summary>
/// Load preparation for bench/run.sh: creates orders with a started sandbox-wallet attempt on a running service and
/// writes one signed wallet notification path per line (what the wallet would send), plus one order id to read.
/// Uses the development demo key and the development sandbox secret (both development-only, from appsettings).
/// </summary>
public static class PrepareLoad
{
    // 32 at once: the service commits their writes in larger groups than 8 would make (20,000 orders in 32 s instead of 47 here).
    public static async Task RunAsync(string baseUrl, int count, string ipnFile, string orderFile)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "pk_dev_demo_key_DEVELOPMENT_ONLY");
        var lines = new string[count];
        string? firstOrder = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment-orders")
            {
                Content = JsonContent.Create(new
                {
                    dossierCode = $"BENCH-IPN-{i:D6}", procedureCode = "1.000105", agencyCode = "000.00.12.H29", channel = "online",
                    payer = new { fullName = "Nguyễn Văn An", idNumber = "001088012345" }, fees = new[] { new { feeCode = "GPLX-CAP", quantity = 1 } },
                }),
            };
            create.Headers.Add("Idempotency-Key", $"bench-prepare-{i}");
            var order = JsonDocument.Parse(await (await http.SendAsync(create, ct)).Content.ReadAsStringAsync(ct)).RootElement;
            var id = order.GetProperty("id").GetString()!;
            firstOrder ??= id;
            var attempt = JsonDocument.Parse(await (await http.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "sandbox" }, ct))
                .Content.ReadAsStringAsync(ct)).RootElement;
            var reference = attempt.GetProperty("providerReference").GetString()!;
            var amount = order.GetProperty("amount").GetProperty("value").GetInt64();
            lines[i] = "/callbacks/sandbox?" + WalletSignature.ToSignedQuery(new Dictionary<string, string>
            {
                ["vnp_TmnCode"] = "SANDBOX01", ["vnp_Amount"] = (amount * 100).ToString(), ["vnp_BankCode"] = "SANDBOX", ["vnp_BankTranNo"] = $"B{i}",
                ["vnp_CardType"] = "WALLET", ["vnp_PayDate"] = DateTime.UtcNow.AddHours(7).ToString("yyyyMMddHHmmss"), ["vnp_OrderInfo"] = "Thanh toan phi le phi",
                ["vnp_TransactionNo"] = (90_000_000 + i).ToString(), ["vnp_ResponseCode"] = "00", ["vnp_TransactionStatus"] = "00", ["vnp_TxnRef"] = reference,
            }, "DEVELOPMENT-ONLY-sandbox-secret-not-for-production");
        });
        await File.WriteAllLinesAsync(ipnFile, lines);
        await File.WriteAllTextAsync(orderFile, firstOrder);
    }
}
