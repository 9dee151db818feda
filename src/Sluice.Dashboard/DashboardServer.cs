using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Operations;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;
using Sluice.Dashboard.Hosting;
using Sluice.Dashboard.Live;
using Sluice.Dashboard.Markup;
using Sluice.Dashboard.Security;
using Sluice.Dashboard.Views;

namespace Sluice.Dashboard;

/// <summary>
/// Serves the dashboard over HTTP with ASP.NET Core: pages rendered on the server from a watch cache of the cluster
/// (<see cref="ClusterCache"/>), each page's parts pushed again over Server-Sent Events as the cluster changes, and the
/// operator's actions carried out through <see cref="RolloutOperator"/> with the identity of the given API client.
/// Everything asks for the token first (<see cref="DashboardAccess"/>); actions also for the CSRF token.
/// </summary>
public static class DashboardServer
{
    /// <summary>How long a page waits for the cache to list what it shows before it renders what there is.</summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Changes within this time are sent together.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(40);

    /// <exception cref="DashboardStartException">The address is not an IP address, or the port is taken.</exception>
    public static async Task<RunningDashboard> StartAsync(IKubeApi api, DashboardOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.TryParse(options.Address, out var address))
        {
            throw new DashboardStartException($"the address \"{options.Address}\" is not an IP address (such as 127.0.0.1, or 0.0.0.0 for every interface)");
        }

        var access = new DashboardAccess(options.Token);
        var cache = new ClusterCache(api, time, loggers.CreateLogger("Sluice.Dashboard.Cache"));
        var stopping = new CancellationTokenSource();
        // The lists are always watched, so that they open at once; a rollout's pods and Events only while it is looked at.
        var leases = new[] { ResourceKind.AppRollout, ResourceKind.Application, ResourceKind.ApplicationRevision }
            .Select(kind => cache.Acquire(kind, options.Namespace)).ToList();
        var context = new DashboardContext(api, cache, options, access, time);
        var flashes = new Flashes();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
        });
        var app = builder.Build();
        app.Use((http, next) => Guard(http, next, access));
        app.UseRouting();
        Map(app, context, flashes, stopping.Token);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            leases.ForEach(l => l.Dispose());
            await cache.DisposeAsync();
            stopping.Dispose();
            throw new DashboardStartException($"{options.Address}:{options.Port} is already in use ({e.Message}); choose another port, or leave it out for a free one", e);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName()
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new RunningDashboard(new Uri($"http://{host}:{port}/"), access.Token, app, cache, stopping, leases);
    }

    /// <summary>Security headers on everything; the token (once, then a cookie) before anything is served.</summary>
    private static async Task Guard(HttpContext http, RequestDelegate next, DashboardAccess access)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";

        var port = http.Connection.LocalPort;
        if (http.Request.Query.TryGetValue("token", out var token))
        {
            if (!access.IsToken(token))
            {
                await Refuse(http, "The token in this URL is not this dashboard's (it changes each time the dashboard starts).");
                return;
            }

            http.Response.Cookies.Append(DashboardAccess.CookieName(port), access.Session, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
            // Take the token out of the address bar (and the history) at once.
            var query = QueryString.Create(http.Request.Query.Where(q => q.Key != "token").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
            http.Response.Redirect(http.Request.PathBase + http.Request.Path + query);
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            return;
        }

        var bearer = http.Request.Headers.Authorization.ToString();
        if (access.IsSession(http.Request.Cookies[DashboardAccess.CookieName(port)])
            || (bearer.StartsWith("Bearer ", StringComparison.Ordinal) && access.IsToken(bearer["Bearer ".Length..])))
        {
            await next(http);
            return;
        }

        await Refuse(http, "This dashboard needs its token: open the URL that `sluice dashboard` (or `sluice up --dashboard`) printed, http://ADDRESS:PORT/?token=...");
    }

    private static async Task Refuse(HttpContext http, string why)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(Html.Of($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sluice dashboard: token needed</title></head>
            <body><main><h1>Token needed</h1><p>{why}</p></main></body></html>
            """).ToString());
    }

    private static void Map(WebApplication app, DashboardContext context, Flashes flashes, CancellationToken stopping)
    {
        app.MapGet("/assets/{file}", (string file) => Assets.Serve(file));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/", (Func<HttpContext, Task<IResult>>)(http => PageAsync(http, context, new RolloutListView(context, ListFilter.From(http.Request.Query)), "rollouts")));
        app.MapGet("/apps", (Func<HttpContext, Task<IResult>>)(http => PageAsync(http, context, new AppListView(context, ListFilter.From(http.Request.Query)), "apps")));
        app.MapGet("/apps/{ns}/{name}", (HttpContext http, string ns, string name) =>
            PageAsync(http, context, new AppPageView(context, ns, name, http.Request.Query["from"], http.Request.Query["to"]), "apps"));
        app.MapGet("/rollouts/{ns}/{name}", (HttpContext http, string ns, string name) =>
            PageAsync(http, context, new RolloutPageView(context, ns, name, flashes.Take(http.Request.Query["flash"])), "rollouts"));
        app.MapGet("/rollouts/{ns}/{name}/confirm/{slug}", async (HttpContext http, string ns, string name, string slug) =>
        {
            if (DashboardActions.Find(slug) is not { } action)
            {
                return Results.NotFound();
            }

            var stored = await context.Api.GetAsync(ResourceKind.AppRollout, ns, name, http.RequestAborted);
            var rollout = stored is null ? null : SluiceJson.Deserialize<AppRollout>(stored);
            return Results.Text(ConfirmView.Page(context, ns, name, action, rollout).ToString(), "text/html; charset=utf-8", Encoding.UTF8, rollout is null ? 404 : 200);
        });
        app.MapPost("/rollouts/{ns}/{name}/actions/{slug}", (HttpContext http, string ns, string name, string slug) => ActAsync(http, context, flashes, ns, name, slug));
        app.MapGet("/stream/{**path}", (HttpContext http, string? path) => StreamAsync(http, context, "/" + (path ?? ""), stopping));
    }

    private static async Task<IResult> PageAsync(HttpContext http, DashboardContext context, ILiveView view, string section)
    {
        var leases = view.Watches.Select(w => context.Cache.Acquire(w.Kind, w.Namespace)).ToList();
        try
        {
            await ReadyAsync(context, view, http.RequestAborted);
            var stream = "/stream" + http.Request.Path + QueryString.Create(http.Request.Query.Where(q => q.Key != "flash").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
            var page = Layout.Page(context, view, section, stream, context.Time.GetUtcNow());
            return Results.Text(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, view.StatusCode);
        }
        finally
        {
            leases.ForEach(l => l.Dispose());
        }
    }

    private static async Task ReadyAsync(DashboardContext context, ILiveView view, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(ReadyWait);
        try
        {
            await Task.WhenAll(view.Watches.Select(w => context.Cache.ReadyAsync(w.Kind, w.Namespace, wait.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The cluster is not answering: render what the cache has; the connection banner says why.
        }
    }

    /// <summary>POST an action: the CSRF token first, then the CLI's code; the outcome is shown once on the rollout's page.</summary>
    private static async Task<IResult> ActAsync(HttpContext http, DashboardContext context, Flashes flashes, string ns, string name, string slug)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        var site = http.Request.Headers["Sec-Fetch-Site"].ToString();
        if (!context.Access.IsCsrf(form?["_csrf"]) || site is not ("" or "same-origin" or "none"))
        {
            return Results.Text("Refused: this action did not carry the dashboard's CSRF token (or came from another site). Use the dashboard's own buttons.",
                "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status403Forbidden);
        }

        if (DashboardActions.Find(slug) is not { } action)
        {
            return Results.Text($"There is no action \"{slug}\"; the actions are {string.Join(", ", DashboardActions.All.Select(a => a.Slug))}.", "text/plain; charset=utf-8", Encoding.UTF8, 404);
        }

        Flash flash;
        try
        {
            var result = await RolloutOperator.ApplyAsync(context.Api, action.Operation, ns, name, http.RequestAborted);
            flash = result.Done ? new Flash(true, result.Message) : new Flash(false, $"{action.Label} refused: {result.Message}");
        }
        catch (KubeApiException e)
        {
            // RBAC decides: a 403 from the cluster is shown as it came.
            flash = new Flash(false, $"{action.Label} failed: the cluster answered {(int)e.Status} {e.Reason}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            flash = new Flash(false, $"{action.Label} failed: the cluster could not be reached ({e.Message})");
        }

        http.Response.Headers.Location = $"{Format.RolloutPath(ns, name)}?flash={flashes.Add(flash)}";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>
    /// The page's event stream: every region once, then each region again whenever it renders differently, as
    /// <c>event: region</c> with <c>{"id", "html"}</c>. A reconnecting page (EventSource retries by itself) gets every
    /// region again. While the cluster is away the informers retry and the connection region says so.
    /// </summary>
    private static async Task StreamAsync(HttpContext http, DashboardContext context, string path, CancellationToken stopping)
    {
        var query = http.Request.Query;
        ILiveView? view = path switch
        {
            "/" => new RolloutListView(context, ListFilter.From(query)),
            "/apps" => new AppListView(context, ListFilter.From(query)),
            _ when path.Split('/') is ["", "rollouts", var ns, var name] => new RolloutPageView(context, Uri.UnescapeDataString(ns), Uri.UnescapeDataString(name), null),
            _ when path.Split('/') is ["", "apps", var ns, var name] => new AppPageView(context, Uri.UnescapeDataString(ns), Uri.UnescapeDataString(name), query["from"], query["to"]),
            _ => null,
        };
        if (view is null)
        {
            http.Response.StatusCode = 404;
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var changed = new ChangeSignal();
        void OnChange(ResourceKind kind, InformerEvent change)
        {
            if (view.Affects(kind, change))
            {
                changed.Notify();
            }
        }

        context.Cache.Changed += OnChange;
        context.Cache.HealthChanged += changed.Notify;
        var leases = new Dictionary<(ResourceKind Kind, string? Namespace), IDisposable>();
        void Lease(IReadOnlyList<(ResourceKind Kind, string? Namespace)> watches)
        {
            foreach (var watch in watches.Where(w => !leases.ContainsKey(w)))
            {
                leases[watch] = context.Cache.Acquire(watch.Kind, watch.Namespace);
            }

            foreach (var gone in leases.Keys.Except(watches).ToList())
            {
                leases[gone].Dispose();
                leases.Remove(gone);
            }
        }

        Lease(view.Watches);
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.WriteAsync("retry: 1000\n\n", stop.Token);
            await http.Response.Body.FlushAsync(stop.Token);
            await ReadyAsync(context, view, stop.Token);
            var sent = new Dictionary<string, string>();
            while (!stop.IsCancellationRequested)
            {
                // What a page watches may follow what it shows (a rollout whose new plan routes traffic, or measures).
                var watches = view.Watches;
                if (watches.Any(w => !leases.ContainsKey(w)))
                {
                    Lease(watches);
                    await ReadyAsync(context, view, stop.Token);
                }

                var text = new StringBuilder();
                foreach (var region in view.Regions(context.Time.GetUtcNow()))
                {
                    var html = region.Content.ToString();
                    if (sent.TryGetValue(region.Id, out var last) && last == html)
                    {
                        continue;
                    }

                    sent[region.Id] = html;
                    text.Append("event: region\ndata: ").Append(JsonSerializer.Serialize(new RegionMessage(region.Id, html), DashboardJson.Default.RegionMessage)).Append("\n\n");
                }

                await http.Response.WriteAsync(text.Length > 0 ? text.ToString() : ": keep-alive\n\n", stop.Token);
                await http.Response.Body.FlushAsync(stop.Token);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                wait.CancelAfter(KeepAlive);
                try
                {
                    await changed.WaitAsync(wait.Token);
                    await Task.Delay(Coalesce, context.Time, stop.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // Nothing changed for a while: the loop sends a keep-alive comment.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (IOException) when (http.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            context.Cache.Changed -= OnChange;
            context.Cache.HealthChanged -= changed.Notify;
            foreach (var lease in leases.Values)
            {
                lease.Dispose();
            }
        }
    }
}
