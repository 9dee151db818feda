using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// A Prometheus exporter the test controls: an HTTP endpoint on 127.0.0.1 that answers every request with the
/// exposition text <see cref="Text"/> returns at that moment (a gauge per revision, say), so a real Prometheus
/// scrapes the values the test sets.
/// </summary>
public sealed class TestExporter : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;

    public TestExporter(Func<string> text)
    {
        Text = text;
        listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/metrics");
        serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public Func<string> Text { get; set; }

    /// <summary>Scrapes answered so far.</summary>
    public int Scrapes => scrapes;

    private int scrapes;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await serving.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                        while (!string.IsNullOrEmpty(await reader.ReadLineAsync(stop.Token)))
                        {
                        }

                        var body = Encoding.UTF8.GetBytes(Text());
                        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(head, stop.Token);
                        await stream.WriteAsync(body, stop.Token);
                        Interlocked.Increment(ref scrapes);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                    {
                    }
                }
            });
        }
    }
}
