using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Payments.Providers.Wallet;

namespace Payments.Api.Features.Sandbox;

/// <summary>What the simulated wallet remembers of each payment, so its query and refund API can answer.</summary>
public sealed class WalletSimulatorState
{
    private readonly ConcurrentDictionary<(string Provider, string TxnRef), SimulatedPayment> _payments = new();
    private readonly ConcurrentDictionary<string, byte> _refundRequests = new();

    public void Record(string provider, SimulatedPayment payment) => _payments[(provider, payment.TxnRef)] = payment;

    public SimulatedPayment? Find(string provider, string txnRef) => _payments.GetValueOrDefault((provider, txnRef));

    /// <summary>Applies a refund once per request id; null when the request id was seen before.</summary>
    public bool? TryRefund(string provider, string txnRef, string requestId, long walletAmount)
    {
        if (!_refundRequests.TryAdd(requestId, 0)) return null;
        lock (_payments)
        {
            var p = Find(provider, txnRef);
            if (p is null || p.ResponseCode != WalletFields.CodeSuccess || p.RefundedWalletAmount + walletAmount > p.WalletAmount) return false;
            Record(provider, p with { RefundedWalletAmount = p.RefundedWalletAmount + walletAmount });
            return true;
        }
    }

    public static string NewTransactionNo()
    {
        var sb = new StringBuilder(12);
        foreach (var b in RandomNumberGenerator.GetBytes(12)) sb.Append((char)('0' + b % 10));
        return sb.ToString();
    }
}

public sealed record SimulatedPayment(string TxnRef, long WalletAmount, string TransactionNo, string ResponseCode,
    string TransactionStatus, string PayDate, string OrderInfo, long RefundedWalletAmount = 0);
