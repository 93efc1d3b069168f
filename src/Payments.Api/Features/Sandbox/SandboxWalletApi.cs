using System.Text.Json;
using Payments.Providers.Wallet;

namespace Payments.Api.Features.Sandbox;

internal static partial class SandboxWallet
{
    /// <summary>The simulated query (querydr) and refund API: signed JSON in, signed JSON out.</summary>
    private static async Task<IResult> ApiAsync(string code, HttpContext http, WalletOptions wallet, CancellationToken ct)
    {
        var raw = await JsonSerializer.DeserializeAsync<Dictionary<string, JsonElement>>(http.Request.Body, cancellationToken: ct) ?? [];
        var req = raw.ToDictionary(kv => kv.Key, kv => kv.Value.ValueKind == JsonValueKind.String ? kv.Value.GetString()! : kv.Value.GetRawText());
        var command = req.GetValueOrDefault(WalletFields.Command);
        var order = command == WalletFields.RefundCommand ? WalletFields.RefundSignOrder : WalletFields.QuerySignOrder;
        var state = http.RequestServices.GetRequiredService<WalletSimulatorState>();
        var txnRef = req.GetValueOrDefault(WalletFields.TxnRef, "");
        var payment = state.Find(code, txnRef);

        string responseCode, message;
        if (!WalletSignature.VerifyPiped(req, order, wallet.HashSecret) || req.GetValueOrDefault(WalletFields.TmnCode) != wallet.TmnCode)
            (responseCode, message) = (WalletFields.ApiBadChecksum, "Invalid checksum");
        else if (command is not (WalletFields.QueryCommand or WalletFields.RefundCommand))
            (responseCode, message) = (WalletFields.ApiOther, "Unknown command");
        else if (payment is null)
            (responseCode, message) = (WalletFields.ApiNotFound, "Transaction not found");
        else if (command == WalletFields.QueryCommand)
            (responseCode, message) = (WalletFields.ApiOk, "Query success");
        else
            (responseCode, message) = state.TryRefund(code, txnRef, req.GetValueOrDefault(WalletFields.RequestId, ""),
                    long.TryParse(req.GetValueOrDefault(WalletFields.Amount), out var a) ? a : long.MaxValue) switch
                {
                    null => (WalletFields.ApiDuplicateRequest, "Duplicate request"),
                    true => (WalletFields.ApiOk, "Refund success"),
                    false => (WalletFields.ApiOther, "Refund refused: amount exceeds what can be refunded"),
                };

        var answer = new Dictionary<string, string>
        {
            [WalletFields.ResponseId] = Guid.NewGuid().ToString("N"),
            [WalletFields.Command] = command ?? "",
            [WalletFields.ResponseCode] = responseCode,
            [WalletFields.Message] = message,
            [WalletFields.TmnCode] = wallet.TmnCode,
            [WalletFields.TxnRef] = txnRef,
            [WalletFields.Amount] = command == WalletFields.RefundCommand ? req.GetValueOrDefault(WalletFields.Amount, "") : payment?.WalletAmount.ToString() ?? "",
            [WalletFields.BankCode] = "SANDBOX",
            [WalletFields.PayDate] = payment?.PayDate ?? "",
            [WalletFields.TransactionNo] = payment?.TransactionNo ?? "",
            [WalletFields.TransactionType] = req.GetValueOrDefault(WalletFields.TransactionType, "01"),
            [WalletFields.TransactionStatus] = payment?.TransactionStatus ?? "",
            [WalletFields.OrderInfo] = payment?.OrderInfo ?? "",
        };
        answer[WalletFields.SecureHash] = WalletSignature.SignPiped(answer, WalletFields.ResponseSignOrder, wallet.HashSecret);
        return Results.Json(answer);
    }
}
