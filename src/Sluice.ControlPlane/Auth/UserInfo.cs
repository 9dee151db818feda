namespace Sluice.ControlPlane.Auth;

/// <summary>Who a request comes from, as kube-apiserver's authenticators say it: user name, uid and groups.</summary>
public sealed record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups)
{
    /// <summary>The group whose members every check allows (kube-apiserver's privileged group).</summary>
    public const string Masters = "system:masters";

    public const string Authenticated = "system:authenticated";

    /// <summary>The user behind the admin token of the generated kubeconfig.</summary>
    public static UserInfo Admin { get; } = new("sluice:admin", "", [Masters, Authenticated]);

    public bool IsMaster => Groups.Contains(Masters);

    /// <summary>The user of a service account's token: <c>system:serviceaccount:NS:NAME</c> and its groups.</summary>
    public static UserInfo ServiceAccount(string ns, string name, string uid) =>
        new(ServiceAccountUser(ns, name), uid, ["system:serviceaccounts", $"system:serviceaccounts:{ns}", Authenticated]);

    public static string ServiceAccountUser(string ns, string name) => $"system:serviceaccount:{ns}:{name}";

    /// <summary>The namespace and name of a service account's user name, or null for any other user.</summary>
    public static (string Namespace, string Name)? ParseServiceAccount(string user)
    {
        const string prefix = "system:serviceaccount:";
        if (!user.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = user[prefix.Length..].Split(':');
        return parts is [{ Length: > 0 } ns, { Length: > 0 } name] ? (ns, name) : null;
    }
}
