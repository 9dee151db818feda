using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.ControlPlane.Auth;
using Sluice.ControlPlane.Http;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane;

/// <summary>
/// Starts the embedded control plane: store, garbage collector, CRDs, HTTP API and kubeconfig. A restart on
/// the same data directory keeps the URL, the token and the CA (see <see cref="PlaneCredentials"/>), so
/// clients holding the kubeconfig reconnect as they would to a restarted kube-apiserver.
/// </summary>
public static class ControlPlaneServer
{
    public static async Task<RunningControlPlane> StartAsync(ControlPlaneOptions options, TimeProvider time, CancellationToken cancel = default)
    {
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (!IPAddress.TryParse(options.ListenAddress, out var address))
        {
            throw new ControlPlaneStartException($"--listen must be an IP address, got \"{options.ListenAddress}\"");
        }
        var dirLock = DataDirLock.Acquire(dataDir);
        ResourceStore? store = null;
        GarbageCollector? collector = null;
        WebApplication? app = null;
        var stopping = new CancellationTokenSource();
        try
        {
            store = new ResourceStore(Path.Combine(dataDir, "store.db"), time, options.WatchHistory);
            Bootstrap.Run(store);
            collector = new GarbageCollector(store);
            collector.Start();

            var credentials = PlaneCredentials.LoadOrCreate(dataDir, address, time);
            var requests = new RequestCounter();
            var tokens = new ServiceAccountTokens(credentials.ServiceAccountKey, store, time);
            var authenticator = new Authenticator(credentials.Token, tokens);
            var authorizer = new RbacAuthorizer(store);
            var handler = new ApiHandler(store, new TableConverter(time), time, requests, authenticator, authorizer, new AuthApi(store, tokens, authorizer));
            RequestDelegate serve = context => handler.HandleAsync(context, stopping.Token);

            // Without an explicit port, the one the previous start served on, so the kubeconfig clients
            // hold stays right; a free one if that is taken now.
            var previous = options.Port == 0 ? Kubeconfig.PreviousPort(dataDir) : null;
            app = Build(dataDir, address, options.Port != 0 ? options.Port : previous ?? 0, credentials.Certificate.Server, time, serve);
            try
            {
                await app.StartAsync(cancel).ConfigureAwait(false);
            }
            catch (IOException e) when (previous is null && options.Port != 0)
            {
                throw new ControlPlaneStartException(
                    $"--port: {address}:{options.Port} is already in use ({e.Message}); choose another port, or leave --port out for a free one", e);
            }
            catch (IOException) when (previous is not null)
            {
                var failed = app;
                app = null;
                await failed.DisposeAsync().ConfigureAwait(false);
                app = Build(dataDir, address, 0, credentials.Certificate.Server, time, serve);
                await app.StartAsync(cancel).ConfigureAwait(false);
            }
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
            var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
                : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            var url = new Uri($"https://{host}:{port}/");
            var kubeconfig = Kubeconfig.Write(dataDir, url, credentials.Token, credentials.Certificate.CaPem);
            var bookmarks = time.CreateTimer(_ => store.EmitBookmarks(), null, options.BookmarkInterval, options.BookmarkInterval);
            var endpoints = new EndpointsFile(dataDir);
            endpoints.Clear();
            endpoints.Set("api", url.ToString());
            endpoints.Set("kubeconfig", kubeconfig);
            return new RunningControlPlane(url, kubeconfig, endpoints, credentials.Token, credentials.Certificate.CaPem, dataDir, store, app, collector, stopping, bookmarks, dirLock, requests)
            {
                Authorizer = authorizer,
                Tokens = tokens,
            };
        }
        catch
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
            if (collector is not null)
            {
                await collector.DisposeAsync().ConfigureAwait(false);
            }
            store?.Dispose();
            dirLock.Dispose();
            stopping.Dispose();
            throw;
        }
    }

    private static WebApplication Build(string dataDir, IPAddress address, int port, X509Certificate2 certificate, TimeProvider time, RequestDelegate serve)
    {
        // No configuration reload: its file watcher on the content root would wake on every SQLite write to the data directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = dataDir,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port, listen => listen.UseHttps(certificate));
            kestrel.Limits.MaxRequestBodySize = ControlPlaneOptions.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(serve);
        return app;
    }
}
