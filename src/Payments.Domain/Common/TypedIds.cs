namespace Payments.Domain.Common;

public readonly record struct PaymentOrderId(Guid Value)
{
    public static PaymentOrderId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct PaymentAttemptId(Guid Value)
{
    public static PaymentAttemptId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct ReceiptId(Guid Value)
{
    public static ReceiptId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}
