using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Bench.Soak;

/// <summary>
/// Rollout webhooks for the soak: <c>/fail/NAME</c> answers 500; <c>/hang/NAME</c> never answers its first call
/// (the connection is dropped after a minute) and answers 200 afterwards; anything else 200.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<string, int> calls = new();

    public WebhookReceiver()
    {
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

    public int Failed { get; private set; }

    public int Hung { get; private set; }

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
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath.Trim('/');
        var count = calls.AddOrUpdate(path, 1, (_, n) => n + 1);
        try
        {
            if (path.StartsWith("hang/", StringComparison.Ordinal) && count == 1)
            {
                Hung++;
                await Task.Delay(TimeSpan.FromMinutes(1), stop.Token);
                context.Response.Abort();
                return;
            }
            if (path.StartsWith("fail/", StringComparison.Ordinal))
            {
                Failed++;
                context.Response.StatusCode = 500;
            }
            context.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
        }
    }
}
