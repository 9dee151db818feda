using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Auth;

/// <summary>
/// Role-based access control as kube-apiserver's RBAC authorizer does it, over the Roles, ClusterRoles,
/// RoleBindings and ClusterRoleBindings in the store:
/// <list type="bullet">
/// <item>members of <c>system:masters</c> are allowed everything (the admin kubeconfig's user is one);</item>
/// <item>otherwise a request is allowed when a ClusterRoleBinding binds a subject matching the user (User by name,
/// Group by one of the user's groups, ServiceAccount by namespace and name) to a ClusterRole with a matching rule, or,
/// for a request in a namespace, a RoleBinding in that namespace binds one to a Role of the namespace or a ClusterRole
/// (whose rules then apply in that namespace only);</item>
/// <item>nothing is denied explicitly: no matching rule means not allowed. Aggregated ClusterRoles are not computed.</item>
/// </list>
/// The policy is read from the committed store and rebuilt when one of the four resources changed, so a binding is in
/// force for the next request once its write is acknowledged.
/// </summary>
public sealed class RbacAuthorizer
{
    private readonly ResourceStore _store;
    private readonly object _gate = new();
    private Policy _policy = Policy.Empty;
    private long _policyVersion = -1;

    internal RbacAuthorizer(ResourceStore store) => _store = store;

    /// <summary>Whether <paramref name="user"/> may do <paramref name="request"/>, with the binding that allows it.</summary>
    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request)
    {
        if (user.IsMaster)
        {
            return new AuthorizationDecision(true, $"allowed: member of {UserInfo.Masters}");
        }
        var policy = Current();
        foreach (var binding in policy.ClusterRoleBindings)
        {
            if (binding.Binds(user) && policy.ClusterRoles.TryGetValue(binding.RoleName, out var rules) && rules.Any(r => r.Matches(request)))
            {
                return new AuthorizationDecision(true, $"RBAC: allowed by ClusterRoleBinding \"{binding.Name}\" of ClusterRole \"{binding.RoleName}\" to {binding.SubjectFor(user)}");
            }
        }
        if (request.Namespace.Length > 0 && policy.RoleBindings.TryGetValue(request.Namespace, out var bindings))
        {
            foreach (var binding in bindings)
            {
                if (binding.Binds(user) && policy.RulesOf(binding).Any(r => r.Matches(request)))
                {
                    return new AuthorizationDecision(true, $"RBAC: allowed by RoleBinding \"{binding.Name}/{binding.Namespace}\" of {binding.RoleKind} \"{binding.RoleName}\" to {binding.SubjectFor(user)}");
                }
            }
        }
        return AuthorizationDecision.Deny;
    }

    /// <summary>
    /// The rules that apply to <paramref name="user"/> in <paramref name="ns"/> (cluster-wide ones included), as a
    /// SelfSubjectRulesReview lists them. A member of <c>system:masters</c> gets the one rule that allows everything.
    /// </summary>
    public IReadOnlyList<PolicyRule> RulesFor(UserInfo user, string ns)
    {
        if (user.IsMaster)
        {
            return [new PolicyRule(["*"], ["*"], ["*"], [], []), new PolicyRule(["*"], [], [], [], ["*"])];
        }
        var policy = Current();
        var rules = new List<PolicyRule>();
        foreach (var binding in policy.ClusterRoleBindings.Where(b => b.Binds(user)))
        {
            rules.AddRange(policy.ClusterRoles.GetValueOrDefault(binding.RoleName) ?? []);
        }
        if (ns.Length > 0 && policy.RoleBindings.TryGetValue(ns, out var bindings))
        {
            foreach (var binding in bindings.Where(b => b.Binds(user)))
            {
                rules.AddRange(policy.RulesOf(binding));
            }
        }
        return rules.Distinct(RuleComparer.Instance).ToList();
    }

    private Policy Current()
    {
        var version = _store.LastChangeOf(BuiltInResources.Roles, BuiltInResources.RoleBindings, BuiltInResources.ClusterRoles, BuiltInResources.ClusterRoleBindings);
        lock (_gate)
        {
            if (version != _policyVersion)
            {
                _policy = Policy.Read(_store);
                _policyVersion = version;
            }
            return _policy;
        }
    }

    private sealed record Binding(string Name, string Namespace, string RoleKind, string RoleName, IReadOnlyList<JsonObject> Subjects)
    {
        public static Binding Read(JsonObject obj) => new(
            Meta.Name(obj),
            Meta.Namespace(obj),
            Str(obj["roleRef"]?["kind"]),
            Str(obj["roleRef"]?["name"]),
            (obj["subjects"] as JsonArray ?? []).OfType<JsonObject>().ToList());

        public bool Binds(UserInfo user) => Subjects.Any(s => Matches(s, user));

        public string SubjectFor(UserInfo user)
        {
            var subject = Subjects.First(s => Matches(s, user));
            return $"{Str(subject["kind"])} \"{Str(subject["name"])}\"";
        }

        private bool Matches(JsonObject subject, UserInfo user)
        {
            var name = Str(subject["name"]);
            return Str(subject["kind"]) switch
            {
                "User" => name == user.Name,
                "Group" => user.Groups.Contains(name),
                "ServiceAccount" => UserInfo.ServiceAccountUser(Str(subject["namespace"]) is { Length: > 0 } ns ? ns : Namespace, name) == user.Name,
                _ => false,
            };
        }
    }

    private sealed record Policy(
        IReadOnlyDictionary<string, List<PolicyRule>> ClusterRoles,
        IReadOnlyDictionary<(string Ns, string Name), List<PolicyRule>> Roles,
        IReadOnlyList<Binding> ClusterRoleBindings,
        IReadOnlyDictionary<string, List<Binding>> RoleBindings)
    {
        public static Policy Empty { get; } = new(new Dictionary<string, List<PolicyRule>>(), new Dictionary<(string, string), List<PolicyRule>>(), [], new Dictionary<string, List<Binding>>());

        public static Policy Read(ResourceStore store) => new(
            store.Committed(BuiltInResources.ClusterRoles).ToDictionary(Meta.Name, Rules),
            store.Committed(BuiltInResources.Roles).ToDictionary(r => (Meta.Namespace(r), Meta.Name(r)), Rules),
            store.Committed(BuiltInResources.ClusterRoleBindings).Select(Binding.Read).ToList(),
            store.Committed(BuiltInResources.RoleBindings).Select(Binding.Read).GroupBy(b => b.Namespace).ToDictionary(g => g.Key, g => g.ToList()));

        public IEnumerable<PolicyRule> RulesOf(Binding binding) => binding.RoleKind switch
        {
            "ClusterRole" => ClusterRoles.GetValueOrDefault(binding.RoleName) ?? [],
            "Role" => Roles.GetValueOrDefault((binding.Namespace, binding.RoleName)) ?? [],
            _ => [],
        };

        private static List<PolicyRule> Rules(JsonObject role) =>
            (role["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(PolicyRule.FromJson).ToList();
    }

    private sealed class RuleComparer : IEqualityComparer<PolicyRule>
    {
        public static RuleComparer Instance { get; } = new();

        public bool Equals(PolicyRule? x, PolicyRule? y) => x is not null && y is not null
            && x.Verbs.SequenceEqual(y.Verbs) && x.ApiGroups.SequenceEqual(y.ApiGroups) && x.Resources.SequenceEqual(y.Resources)
            && x.ResourceNames.SequenceEqual(y.ResourceNames) && x.NonResourceUrls.SequenceEqual(y.NonResourceUrls);

        public int GetHashCode(PolicyRule obj) => HashCode.Combine(string.Join(',', obj.Verbs), string.Join(',', obj.Resources), string.Join(',', obj.NonResourceUrls));
    }

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
