using System.Text.Json;

namespace Payments.Api.Features.Outbox;

/// <summary>A text for a citizen about their payment, by SMS (phone) or e-mail.</summary>
/// <param name="EventId">The outbox event: a notifier that must not send twice deduplicates on it.</param>
public sealed record CitizenMessage(Guid EventId, string? Phone, string? Email, string Subject, string Text);

/// <summary>Sends citizens their messages. Pluggable: register another implementation for an SMS gateway or SMTP.</summary>
public interface ICitizenNotifier
{
    Task NotifyAsync(CitizenMessage message, CancellationToken ct);
}

/// <summary>The default: writes the message to the log, with the phone and e-mail masked.</summary>
public sealed class LogNotifier(ILogger<LogNotifier> log) : ICitizenNotifier
{
    public Task NotifyAsync(CitizenMessage message, CancellationToken ct)
    {
        log.LogInformation("Citizen notification {EventId} to {Phone} / {Email}: {Subject} — {Text}",
            message.EventId, Mask(message.Phone), Mask(message.Email), message.Subject, message.Text);
        return Task.CompletedTask;
    }

    /// <summary>Keeps the last three characters: enough to tell messages apart, not to contact anyone.</summary>
    public static string Mask(string? value) => string.IsNullOrEmpty(value) ? "—" : value.Length <= 3 ? "***" : new string('*', value.Length - 3) + value[^3..];
}

/// <summary>The Vietnamese texts citizens receive, from the event payload. Null: nothing to tell for this event.</summary>
public static class CitizenTemplates
{
    public static (string Subject, string Text)? For(string type, JsonElement e)
    {
        var dossier = e.GetProperty("dossierCode").GetString();
        var amount = e.GetProperty("amount").GetProperty("value").GetInt64();
        var receipt = e.TryGetProperty("receipt", out var r) && r.ValueKind == JsonValueKind.Object
            ? $"{r.GetProperty("series").GetString()}-{r.GetProperty("number").GetInt32():0000000}" : null;
        var money = Domain.Common.Money.Vnd(amount).ToDisplayString();
        return type switch
        {
            "payment_order.paid" => ("Đã nhận tiền phí, lệ phí",
                $"Đã nhận {money} phí, lệ phí cho hồ sơ {dossier}." + (receipt is null ? "" : $" Biên lai điện tử số {receipt} có trong hồ sơ trên Cổng dịch vụ công.")),
            "payment_order.refunded" => ("Hoàn tiền phí, lệ phí", $"Khoản thu của hồ sơ {dossier} đã được hoàn trả theo quy định."),
            "receipt.cancelled" => ("Biên lai đã bị hủy", $"Biên lai của hồ sơ {dossier} đã bị hủy. Cơ quan thu sẽ liên hệ nếu cần lập lại."),
            "receipt.replaced" => ("Biên lai đã được thay thế", $"Biên lai của hồ sơ {dossier} đã được thay thế bằng biên lai số {receipt}."),
            _ => null,
        };
    }
}
