using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// /healthz, /livez and /readyz over plain HTTP/1.1 on a loopback port, for probes and tests: one GET per
/// connection, answered and closed. Not <see cref="HttpListener"/>: on Linux its Start() throws when a probe
/// connects while it is starting (dotnet/corefx#35191), which a controller probed from its first moment hits.
/// </summary>
public sealed class HealthEndpoint : IDisposable
{
    private const int MaxRequestBytes = 8192;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener listener;
    private readonly Func<string> state;
    private readonly CancellationTokenSource stop = new();

    /// <param name="port">The port, or 0 for a free one.</param>
    /// <param name="state">The controller's state: ready while "leading" or "candidate".</param>
    public HealthEndpoint(int port, Func<string> state)
    {
        this.state = state;
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        _ = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    /// <summary>The status and body for a path (pure; exposed for tests).</summary>
    public static (int Code, string Body) Answer(string? path, string state) => path switch
    {
        "/healthz" or "/livez" => (200, "ok"),
        "/readyz" => state is "leading" or "candidate" ? (200, state) : (503, state),
        _ => (404, "not found"),
    };

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            var stream = client.GetStream();
            var request = await ReadHeadAsync(stream, timeout.Token);
            // "GET /readyz HTTP/1.1": the path, without a query.
            var target = request?.Split(' ') is [_, var t, ..] ? t.Split('?')[0] : null;
            var (code, body) = request is null ? (400, "bad request") : Answer(target, state());
            var payload = Encoding.UTF8.GetBytes(body + "\n");
            var head = $"HTTP/1.1 {code} {Reason(code)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
            await stream.WriteAsync(payload, timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // a probe that went away or never finished its request
        }
    }

    /// <summary>The request line once the head is complete, or null for a head too long or cut short.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal) || text.Contains("\n\n", StringComparison.Ordinal))
            {
                return text[..text.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r');
            }
        }

        return null;
    }

    private static string Reason(int code) => code switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Service Unavailable",
    };
}
