using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Dashboard.Tests.Support;

/// <summary>
/// A local JSON endpoint for the <c>web</c> metric provider: answers <c>{"value": N}</c> with the next of the values it
/// was given, then the last one again.
/// </summary>
public sealed class MetricEndpoint : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly double[] values;
    private int calls;

    public MetricEndpoint(params double[] values)
    {
        this.values = values;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var value = values[Math.Min(Interlocked.Increment(ref calls) - 1, values.Length - 1)];
            var body = Encoding.UTF8.GetBytes($"{{\"value\": {value.ToString(CultureInfo.InvariantCulture)}}}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
