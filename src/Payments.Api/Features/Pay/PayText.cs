namespace Payments.Api.Features.Pay;

/// <summary>The citizen page's words, Vietnamese first with an English switch (?lang=en, remembered in a cookie).</summary>
internal sealed class PayText
{
    private static readonly Dictionary<string, (string Vi, string En)> Words = new()
    {
        ["title"] = ("Thanh toán phí, lệ phí", "Pay fees and charges"),
        ["notFound"] = ("Không tìm thấy yêu cầu thanh toán", "Payment request not found"),
        ["notFoundText"] = ("Đường dẫn không đúng hoặc đã hết hiệu lực.", "The link is wrong or no longer valid."),
        ["dossier"] = ("Hồ sơ", "Dossier"),
        ["procedure"] = ("Thủ tục", "Procedure"),
        ["status"] = ("Trạng thái", "Status"),
        ["item"] = ("Khoản thu", "Item"),
        ["qty"] = ("SL", "Qty"),
        ["amount"] = ("Số tiền", "Amount"),
        ["discount"] = ("Giảm", "Discount"),
        ["due"] = ("Phải nộp", "Due"),
        ["total"] = ("Tổng cộng", "Total"),
        ["payWith"] = ("Thanh toán qua", "Pay with"),
        ["deadline"] = ("Hạn thanh toán", "Pay by"),
        ["minutesLeft"] = ("còn {0} phút", "{0} minutes left"),
        ["vnTime"] = ("giờ Việt Nam", "Vietnam time"),
        ["receipt"] = ("Biên lai: ký hiệu {0}, số {1}", "Receipt: series {0}, number {1}"),
        ["download"] = ("Tải biên lai (PDF)", "Download the receipt (PDF)"),
        ["exempt"] = ("Hồ sơ được miễn phí, lệ phí: không cần thanh toán.", "This dossier is exempt: nothing to pay."),
        ["expired"] = ("Yêu cầu thanh toán đã hết hạn. Vui lòng liên hệ nơi nộp hồ sơ để được tạo yêu cầu mới.",
            "This payment request has expired. Please ask the office that took your dossier for a new one."),
        ["cancelled"] = ("Yêu cầu thanh toán đã bị hủy.", "This payment request was cancelled."),
        ["qrTitle"] = ("Chuyển khoản bằng VietQR", "Bank transfer by VietQR"),
        ["bank"] = ("Ngân hàng", "Bank"),
        ["account"] = ("Số tài khoản", "Account number"),
        ["accountName"] = ("Chủ tài khoản", "Account name"),
        ["content"] = ("Nội dung chuyển khoản", "Transfer content"),
        ["typeExactly"] = ("Nếu nhập tay, hãy ghi đúng nội dung chuyển khoản để hệ thống tự xác nhận.",
            "If you type the transfer yourself, use exactly this content so that it is recognised."),
        ["switch"] = ("English", "Tiếng Việt"),
    };

    private PayText(bool english) => English = english;

    public bool English { get; }
    public string Locale => English ? "en" : "vn";

    public string this[string key] => English ? Words[key].En : Words[key].Vi;

    /// <summary>See <see cref="Infrastructure.Http.UiLanguage"/>: ?lang= wins (and is remembered); otherwise the cookie.</summary>
    public static PayText For(HttpContext http) => new(Infrastructure.Http.UiLanguage.IsEnglish(http));

    public string Status(string status) => (status, English) switch
    {
        ("created", false) => "Chờ thanh toán", ("created", true) => "Awaiting payment",
        ("awaiting_payment", false) => "Đang thanh toán", ("awaiting_payment", true) => "Payment in progress",
        ("paid", false) => "Đã thanh toán", ("paid", true) => "Paid",
        ("partially_refunded", false) => "Đã hoàn một phần", ("partially_refunded", true) => "Partly refunded",
        ("refunded", false) => "Đã hoàn tiền", ("refunded", true) => "Refunded",
        ("cancelled", false) => "Đã hủy", ("cancelled", true) => "Cancelled",
        ("expired", false) => "Đã hết hạn", ("expired", true) => "Expired",
        _ => status,
    };

    public string Provider(string code) => (code, English) switch
    {
        ("sandbox", false) => "ví thử nghiệm (sandbox)", ("sandbox", true) => "the test wallet (sandbox)",
        ("vnptpay", _) => English ? "VNPT Pay wallet" : "ví VNPT Pay",
        ("vietqr", _) => English ? "VietQR bank transfer" : "chuyển khoản VietQR",
        ("stripe", _) => English ? "card (Stripe, test)" : "thẻ (Stripe, thử nghiệm)",
        _ => code,
    };
}
