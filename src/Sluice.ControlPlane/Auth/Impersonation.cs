using Microsoft.AspNetCore.Http;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Auth;

/// <summary>
/// <c>kubectl --as</c>: the <c>Impersonate-User</c>, <c>Impersonate-Group</c> and <c>Impersonate-Uid</c> headers, as
/// kube-apiserver handles them. The requester must be allowed the verb <c>impersonate</c> on <c>users</c> (or on
/// <c>serviceaccounts</c> in the account's namespace, for <c>system:serviceaccount:NS:NAME</c>), on each <c>groups</c>
/// and on <c>uids</c>; the request then runs as that user, with the groups given (a service account's own groups when
/// none are) plus <c>system:authenticated</c>.
/// </summary>
internal static class Impersonation
{
    public static UserInfo Apply(HttpRequest request, UserInfo requester, RbacAuthorizer authorizer)
    {
        var user = request.Headers["Impersonate-User"].ToString();
        var groups = request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        var uid = request.Headers["Impersonate-Uid"].ToString();
        var extra = request.Headers.Keys.Any(k => k.StartsWith("Impersonate-Extra-", StringComparison.OrdinalIgnoreCase));
        if (user.Length == 0)
        {
            if (groups.Count > 0 || uid.Length > 0 || extra)
            {
                throw Errors.BadRequest("requested impersonation of groups, a uid or extra fields without impersonating a user");
            }
            return requester;
        }
        var account = UserInfo.ParseServiceAccount(user);
        var checks = new List<RequestAttributes>
        {
            account is { } sa
                ? RequestAttributes.ForResource("impersonate", "", "serviceaccounts", "", sa.Namespace, sa.Name)
                : RequestAttributes.ForResource("impersonate", "", "users", "", "", user),
        };
        checks.AddRange(groups.Select(g => RequestAttributes.ForResource("impersonate", "", "groups", "", "", g)));
        if (uid.Length > 0)
        {
            checks.Add(RequestAttributes.ForResource("impersonate", "authentication.k8s.io", "uids", "", "", uid));
        }
        foreach (var check in checks)
        {
            if (!authorizer.Authorize(requester, check).Allowed)
            {
                throw Errors.Forbidden(requester, check);
            }
        }
        if (groups.Count == 0 && account is { } own)
        {
            groups = [.. UserInfo.ServiceAccount(own.Namespace, own.Name, "").Groups];
        }
        if (!groups.Contains(UserInfo.Authenticated))
        {
            groups.Add(UserInfo.Authenticated);
        }
        return new UserInfo(user, uid, groups);
    }
}
