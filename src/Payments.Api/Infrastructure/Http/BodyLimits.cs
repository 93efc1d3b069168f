using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Payments.Api.Infrastructure.Http;

/// <summary>
/// Request bodies are small here — an order is a few KB, a provider notification less — so every route takes at most
/// <c>Payments:RequestLimits:MaxBodyBytes</c> (64 KB by default) unless it declares its own limit with
/// <see cref="IRequestSizeLimitMetadata"/> (statement uploads). A declared length above the limit is refused before
/// anything is read (413 <c>payload_too_large</c>); a chunked body is cut off by the server once it passes the limit
/// (Kestrel raises a 413 the exception handler turns into the same problem).
/// </summary>
internal static class BodyLimits
{
    public const long DefaultMaxBytes = 64 * 1024;

    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app)
    {
        var fallback = new Lazy<long>(() =>
            app.ApplicationServices.GetRequiredService<IConfiguration>().GetValue("Payments:RequestLimits:MaxBodyBytes", DefaultMaxBytes));
        return app.Use(async (http, next) =>
        {
            var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? fallback.Value;
            if (http.Request.ContentLength > limit)
            {
                await Problems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large",
                    $"Request bodies on this route are limited to {limit:N0} bytes.").ExecuteAsync(http);
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
            else http.Request.Body = new Capped(http.Request.Body, limit); // a host without the feature (the test server)
            await next(http);
        });
    }

    /// <summary>Reads through to the body and fails the request, as Kestrel would, once more than the limit arrived.</summary>
    private sealed class Capped(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Count(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit) throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
