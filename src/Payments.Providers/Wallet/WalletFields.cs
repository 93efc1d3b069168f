namespace Payments.Providers.Wallet;

/// <summary>
/// Every wire name of the wallet gateway contract (VIETNAM.md §3, VNPay 2.1.0 convention) in one place, so a
/// merchant spec with other names replaces this file only.
/// </summary>
internal static class WalletFields
{
    public const string Prefix = "vnp_";
    public const string Version = "vnp_Version";
    public const string Command = "vnp_Command";
    public const string TmnCode = "vnp_TmnCode";
    public const string Amount = "vnp_Amount";
    public const string CurrCode = "vnp_CurrCode";
    public const string TxnRef = "vnp_TxnRef";
    public const string OrderInfo = "vnp_OrderInfo";
    public const string OrderType = "vnp_OrderType";
    public const string Locale = "vnp_Locale";
    public const string ReturnUrl = "vnp_ReturnUrl";
    public const string IpAddr = "vnp_IpAddr";
    public const string CreateDate = "vnp_CreateDate";
    public const string ExpireDate = "vnp_ExpireDate";
    public const string SecureHash = "vnp_SecureHash";
    public const string SecureHashType = "vnp_SecureHashType";
    public const string BankCode = "vnp_BankCode";
    public const string BankTranNo = "vnp_BankTranNo";
    public const string CardType = "vnp_CardType";
    public const string PayDate = "vnp_PayDate";
    public const string TransactionNo = "vnp_TransactionNo";
    public const string ResponseCode = "vnp_ResponseCode";
    public const string TransactionStatus = "vnp_TransactionStatus";
    public const string RequestId = "vnp_RequestId";
    public const string ResponseId = "vnp_ResponseId";
    public const string Message = "vnp_Message";
    public const string TransactionDate = "vnp_TransactionDate";
    public const string TransactionType = "vnp_TransactionType";
    public const string CreateBy = "vnp_CreateBy";

    public const string QueryCommand = "querydr";
    public const string RefundCommand = "refund";
    public const string RefundFull = "02";
    public const string RefundPartial = "03";

    /// <summary>Query/refund API answers.</summary>
    public const string ApiOk = "00";
    public const string ApiNotFound = "91";
    public const string ApiDuplicateRequest = "94";
    public const string ApiBadChecksum = "97";
    public const string ApiOther = "99";

    /// <summary>Fixed field orders of the pipe-joined query/refund signatures (VIETNAM.md §3).</summary>
    public static readonly string[] QuerySignOrder = [RequestId, Version, Command, TmnCode, TxnRef, TransactionDate, CreateDate, IpAddr, OrderInfo];
    public static readonly string[] RefundSignOrder =
        [RequestId, Version, Command, TmnCode, TransactionType, TxnRef, Amount, TransactionNo, TransactionDate, CreateBy, CreateDate, IpAddr, OrderInfo];
    /// <summary>The wallet signs its answers the same way, over this order (VNPay 2.1.0 convention [check]).</summary>
    public static readonly string[] ResponseSignOrder =
        [ResponseId, Command, ResponseCode, Message, TmnCode, TxnRef, Amount, BankCode, PayDate, TransactionNo, TransactionType, TransactionStatus, OrderInfo];

    public const string VersionValue = "2.1.0";
    public const string PayCommand = "pay";
    public const string OrderTypeOther = "other";
    public const string DateFormat = "yyyyMMddHHmmss";
    /// <summary>Amounts travel in đồng × 100.</summary>
    public const long AmountScale = 100;

    public const string CodeSuccess = "00";
    public const string CodeCancelledByCustomer = "24";

    /// <summary>IPN answer codes.</summary>
    public const string RspConfirmed = "00";
    public const string RspNotFound = "01";
    public const string RspAlreadyConfirmed = "02";
    public const string RspInvalidAmount = "04";
    public const string RspInvalidSignature = "97";
    public const string RspOther = "99";
}
