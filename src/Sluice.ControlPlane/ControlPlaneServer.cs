using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Http;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane;

/// <summary>Starts the embedded control plane: store, garbage collector, CRDs, HTTP API and kubeconfig.</summary>
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

            var certificate = ServingCertificate.Create(address, time);
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var requests = new RequestCounter();
            var handler = new ApiHandler(store, new TableConverter(time), time, requests);
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = dataDir });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(time);
            builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(address, options.Port, listen => listen.UseHttps(certificate.Server));
                kestrel.Limits.MaxRequestBodySize = ControlPlaneOptions.MaxRequestBodyBytes;
                kestrel.AddServerHeader = false;
            });
            app = builder.Build();
            var expected = Encoding.UTF8.GetBytes("Bearer " + token);
            app.Run(async context =>
            {
                var presented = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                if (!CryptographicOperations.FixedTimeEquals(presented, expected))
                {
                    await ApiHandler.WriteStatusAsync(context, Errors.Unauthorized()).ConfigureAwait(false);
                    return;
                }
                await handler.HandleAsync(context, stopping.Token).ConfigureAwait(false);
            });
            await app.StartAsync(cancel).ConfigureAwait(false);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
            var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
                : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            var url = new Uri($"https://{host}:{port}/");
            var kubeconfig = Kubeconfig.Write(dataDir, url, token, certificate.CaPem);
            var bookmarks = time.CreateTimer(_ => store.EmitBookmarks(), null, options.BookmarkInterval, options.BookmarkInterval);
            return new RunningControlPlane(url, kubeconfig, token, certificate.CaPem, dataDir, store, app, collector, stopping, bookmarks, dirLock, requests);
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
}
