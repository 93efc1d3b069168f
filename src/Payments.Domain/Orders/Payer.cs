namespace Payments.Domain.Orders;

/// <summary>The citizen (or organisation) a dossier's fees are collected from, as the portal sends it.</summary>
public sealed record Payer(string FullName, string IdNumber, string? Phone, string? Email, string? Address)
{
    /// <summary>Citizen ID (CCCD) numbers are exactly 12 digits.</summary>
    public static bool IsValidCccd(string? idNumber) =>
        idNumber is { Length: 12 } && idNumber.All(char.IsAsciiDigit);

    /// <summary>Shown in logs and lists: never the full ID number.</summary>
    public string MaskedIdNumber => IdNumber.Length <= 4 ? "****" : new string('*', IdNumber.Length - 4) + IdNumber[^4..];
}
