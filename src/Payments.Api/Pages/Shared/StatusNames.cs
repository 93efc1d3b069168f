namespace Payments.Api.Pages.Shared;

/// <summary>Vietnamese names of receipt statuses (translated through <see cref="StaffText"/>).</summary>
public static class ReceiptStatusNames
{
    public static string Of(string status) => status switch
    {
        "Valid" => "Hợp lệ",
        "Cancelled" => "Đã hủy",
        "Replaced" => "Đã bị thay thế",
        _ => status,
    };
}

/// <summary>Vietnamese names of reconciliation item kinds (translated through <see cref="StaffText"/>).</summary>
public static class ReconciliationNames
{
    public static string Kind(Payments.Domain.Reconciliation.ReconciliationKind kind) => kind switch
    {
        Payments.Domain.Reconciliation.ReconciliationKind.AmountMismatch => "Sai số tiền",
        Payments.Domain.Reconciliation.ReconciliationKind.DuplicateCredit => "Tiền vào hai lần",
        Payments.Domain.Reconciliation.ReconciliationKind.MissingCredit => "Thiếu tiền về",
        _ => "Tiền không rõ nguồn",
    };
}

/// <summary>Vietnamese names of webhook delivery statuses.</summary>
public static class WebhookNames
{
    public static string Status(string status) => status switch { "Delivered" => "Đã nhận", "GaveUp" => "Ngừng gửi sau 3 ngày", _ => "Chờ gửi" };
}
