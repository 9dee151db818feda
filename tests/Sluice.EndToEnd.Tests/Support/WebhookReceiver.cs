using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>A local HTTP receiver for rollout webhooks: records each call and answers as told.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();

    /// <param name="port">The port to listen on (0: a free one).</param>
    public WebhookReceiver(int port = 0)
    {
        if (port == 0)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<(string Path, JsonObject Body, string? Signature, string? Authorization)> Calls { get; } = new();

    /// <summary>How to answer a path: a status code, or null to never answer.</summary>
    public Func<string, int?> Answer { get; set; } = _ => 200;

    /// <summary>The JSON body to answer a path with (a metric a web provider reads), or null for none.</summary>
    public Func<string, string?> Reply { get; set; } = _ => null;

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

            _ = Task.Run(async () =>
            {
                var path = context.Request.Url!.AbsolutePath.Trim('/');
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var text = await reader.ReadToEndAsync();
                var body = text.Length == 0 ? [] : JsonNode.Parse(text)?.AsObject() ?? [];
                Calls.Enqueue((path, body, context.Request.Headers["X-Sluice-Signature"], context.Request.Headers["Authorization"]));
                if (Answer(path) is { } status)
                {
                    context.Response.StatusCode = status;
                    if (Reply(path) is { } reply)
                    {
                        context.Response.ContentType = "application/json";
                        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(reply));
                    }

                    context.Response.Close();
                }
            });
        }
    }
}
