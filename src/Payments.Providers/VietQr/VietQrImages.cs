using QRCoder;

namespace Payments.Providers.VietQr;

/// <summary>The QR as images for the payment page: PNG and SVG, no System.Drawing.</summary>
public static class VietQrImages
{
    public static byte[] Png(string payload, int pixelsPerModule = 8)
    {
        using var data = QRCodeGenerator.GenerateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    public static string Svg(string payload, int pixelsPerModule = 8)
    {
        using var data = QRCodeGenerator.GenerateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(pixelsPerModule);
    }
}
