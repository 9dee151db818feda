using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Sluice.Controllers.Analysis;

/// <summary>
/// The HTTP side of every provider: one pooled client per TLS setting (system trust, a Secret's CA, or none), a
/// timeout per call, and a bound on the calls in flight across all runs, so thousands of runs measuring at once
/// queue for a slot instead of opening thousands of connections (and the rollout controller, on its own queue,
/// never waits for them). Transport failures and timeouts become <see cref="ProviderException"/>s.
/// </summary>
public sealed class ProviderHttp : IDisposable
{
    public const int DefaultMaxConcurrent = 32;

    private readonly SemaphoreSlim slots;
    private readonly HttpMessageHandler? fixedHandler;
    private readonly ConcurrentDictionary<(bool Insecure, string? Ca), HttpClient> clients = new();

    /// <param name="maxConcurrent">Provider calls in flight at once, across every run.</param>
    /// <param name="handler">For tests: every call goes through this handler, whatever the TLS setting.</param>
    public ProviderHttp(int maxConcurrent = DefaultMaxConcurrent, HttpMessageHandler? handler = null)
    {
        MaxConcurrent = Math.Max(1, maxConcurrent);
        slots = new SemaphoreSlim(MaxConcurrent);
        fixedHandler = handler;
    }

    public int MaxConcurrent { get; }

    /// <summary>Calls waiting for a slot or in flight right now.</summary>
    public int InFlight => MaxConcurrent - slots.CurrentCount;

    /// <summary>Sends the request and reads the whole body: (status, body). Only a transport failure or the timeout throws.</summary>
    public async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request, ProviderAuth auth, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (auth.Header is { } header)
        {
            request.Headers.Authorization = header;
        }

        await slots.WaitAsync(cancellationToken);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            using var response = await Client(auth).SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            return ((int)response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException($"{request.Method} {Redacted(request.RequestUri)}: no answer within {timeout.TotalSeconds:0.#}s");
        }
        catch (HttpRequestException e)
        {
            throw new ProviderException($"{request.Method} {Redacted(request.RequestUri)}: {e.Message}", e);
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        slots.Dispose();
    }

    /// <summary>The URL without its query string, which may carry credentials.</summary>
    internal static string Redacted(Uri? uri) => uri is null ? "?" : uri.GetLeftPart(UriPartial.Path);

    private HttpClient Client(ProviderAuth auth) =>
        clients.GetOrAdd((auth.InsecureSkipVerify, auth.CaPem), key => fixedHandler is not null
            ? new HttpClient(fixedHandler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(Handler(key.Insecure, key.Ca)) { Timeout = Timeout.InfiniteTimeSpan });

    private static SocketsHttpHandler Handler(bool insecure, string? caPem)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(5) };
        if (insecure)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (caPem is not null)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(caPem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }

        return handler;
    }
}
