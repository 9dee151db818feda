using Microsoft.AspNetCore.Builder;
using Sluice.ControlPlane.Auth;
using Sluice.ControlPlane.Http;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane;

/// <summary>
/// A started control plane. <see cref="Store"/> is the composition hook for in-process components
/// (workload simulator, controllers): the same semantics as the HTTP API, without HTTP.
/// </summary>
public sealed class RunningControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GarbageCollector _collector;
    private readonly CancellationTokenSource _stopping;
    private readonly ITimer _bookmarks;
    private readonly IDisposable _lock;
    private readonly ResourceStore _store;
    private int _stopped;

    internal RunningControlPlane(Uri baseUrl, string kubeconfigPath, EndpointsFile endpoints, string token, string caPem, string dataDir, ResourceStore store,
        WebApplication app, GarbageCollector collector, CancellationTokenSource stopping, ITimer bookmarks, IDisposable dirLock, RequestCounter requests)
    {
        BaseUrl = baseUrl;
        KubeconfigPath = kubeconfigPath;
        Endpoints = endpoints;
        Token = token;
        CertificateAuthorityPem = caPem;
        DataDir = dataDir;
        _store = store;
        _app = app;
        _collector = collector;
        _stopping = stopping;
        _bookmarks = bookmarks;
        _lock = dirLock;
        Requests = requests;
    }

    /// <summary>The bound URL, e.g. https://127.0.0.1:41234/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>DIR/kubeconfig (mode 0600) with the server URL and the bearer token.</summary>
    public string KubeconfigPath { get; }

    /// <summary>
    /// DIR/endpoints.json: the API (<c>api</c>), the kubeconfig's path (<c>kubeconfig</c>), and every other endpoint
    /// served beside the plane (metrics, Prometheus, dashboard), which their starters add with <see cref="EndpointsFile.Set"/>.
    /// </summary>
    public EndpointsFile Endpoints { get; }

    /// <summary>The bearer token every request must carry.</summary>
    public string Token { get; }

    /// <summary>The CA (PEM) that signed the serving certificate; the kubeconfig carries it too.</summary>
    public string CertificateAuthorityPem { get; }

    public string DataDir { get; }

    public IResourceStore Store => _store;

    /// <summary>Resource requests served over HTTP so far, by verb, resource and subresource.</summary>
    public RequestCounter Requests { get; }

    /// <summary>The RBAC authorizer every HTTP request goes through (<see cref="RbacAuthorizer.Authorize"/> answers what the API would).</summary>
    public required RbacAuthorizer Authorizer { get; init; }

    /// <summary>Issues and checks service account tokens (what the TokenRequest API and the authenticator use).</summary>
    public required ServiceAccountTokens Tokens { get; init; }

    /// <summary>
    /// Writes a kubeconfig at <paramref name="path"/> (mode 0600) for the service account <paramref name="ns"/>/<paramref name="name"/>,
    /// with a token valid for <paramref name="lifetime"/> (as <c>kubectl create token</c> would issue it): how to run a client, such as
    /// <c>sluice controller</c>, with that account's permissions only. Throws NotFound when the account does not exist.
    /// </summary>
    public string WriteServiceAccountKubeconfig(string ns, string name, TimeSpan lifetime, string path)
    {
        var account = _store.Get(Resources.BuiltInResources.ServiceAccounts, ns, name);
        var (token, _) = Tokens.Issue(ns, name, Sluice.ControlPlane.Store.Meta.Uid(account), [ServiceAccountTokens.Issuer], lifetime);
        return Kubeconfig.WriteTo(path, BaseUrl, token, CertificateAuthorityPem, ns);
    }

    /// <summary>Stops serving: ends watches, drains requests, closes the store and releases the data directory.</summary>
    public async Task StopAsync(CancellationToken cancel = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _bookmarks.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _store.CloseWatches();
        try
        {
            await _app.StopAsync(cancel).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            await _collector.DisposeAsync().ConfigureAwait(false);
            _store.Dispose();
            _lock.Dispose();
            _stopping.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
