using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Auth;

/// <summary>
/// The ClusterRoles and ClusterRoleBindings kube-apiserver bootstraps, in the part a client relies on: cluster-admin
/// (bound to <c>system:masters</c>), admin, edit and view (for RoleBindings to hand out), system:discovery and
/// system:basic-user (bound to every authenticated user: discovery, <c>kubectl auth can-i</c> and <c>whoami</c>), and
/// system:public-info-viewer (version and health). Created when missing, annotated
/// <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c>; a changed one is left as the user changed it.
/// </summary>
internal static class BootstrapPolicy
{
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];
    private static readonly string[] WriteVerbs = ["create", "delete", "deletecollection", "patch", "update"];

    public static void Run(IResourceStore store)
    {
        foreach (var (name, rules) in ClusterRoles())
        {
            CreateIfMissing(store, BuiltInResources.ClusterRoles, new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRole",
                ["metadata"] = Metadata(name),
                ["rules"] = new JsonArray(rules.Select(r => (JsonNode?)r.ToJson()).ToArray()),
            });
        }
        foreach (var (name, groups) in new (string, string[])[]
        {
            ("cluster-admin", [UserInfo.Masters]),
            ("system:discovery", [UserInfo.Authenticated]),
            ("system:basic-user", [UserInfo.Authenticated]),
            ("system:public-info-viewer", [UserInfo.Authenticated, "system:unauthenticated"]),
        })
        {
            CreateIfMissing(store, BuiltInResources.ClusterRoleBindings, new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRoleBinding",
                ["metadata"] = Metadata(name),
                ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
                ["subjects"] = new JsonArray(groups.Select(g => (JsonNode?)new JsonObject
                {
                    ["apiGroup"] = "rbac.authorization.k8s.io",
                    ["kind"] = "Group",
                    ["name"] = g,
                }).ToArray()),
            });
        }
    }

    private static IEnumerable<(string Name, PolicyRule[] Rules)> ClusterRoles()
    {
        string[] workloads = ["pods", "pods/log", "pods/status", "services", "services/status", "endpoints", "configmaps", "serviceaccounts",
            "persistentvolumeclaims", "replicationcontrollers", "resourcequotas", "events"];
        string[] apps = ["deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
            "statefulsets", "statefulsets/scale", "statefulsets/status", "daemonsets", "daemonsets/status", "controllerrevisions"];
        PolicyRule[] view =
        [
            Rule(ReadVerbs, [""], [.. workloads, "namespaces", "namespaces/status", "pods/status"]),
            Rule(ReadVerbs, ["apps"], apps),
            Rule(ReadVerbs, ["batch"], ["jobs", "jobs/status", "cronjobs", "cronjobs/status"]),
            Rule(ReadVerbs, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            Rule(ReadVerbs, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
            Rule(ReadVerbs, ["discovery.k8s.io"], ["endpointslices"]),
            Rule(ReadVerbs, ["coordination.k8s.io"], ["leases"]),
            Rule(ReadVerbs, ["events.k8s.io"], ["events"]),
        ];
        PolicyRule[] edit =
        [
            .. view,
            Rule([.. ReadVerbs, .. WriteVerbs], [""], [.. workloads, "secrets"]),
            Rule(["create"], [""], ["serviceaccounts/token", "pods/eviction"]),
            Rule([.. ReadVerbs, .. WriteVerbs], ["apps"], apps),
            Rule([.. ReadVerbs, .. WriteVerbs], ["batch"], ["jobs", "cronjobs"]),
            Rule([.. ReadVerbs, .. WriteVerbs], ["policy"], ["poddisruptionbudgets"]),
            Rule([.. ReadVerbs, .. WriteVerbs], ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
            Rule([.. ReadVerbs, .. WriteVerbs], ["coordination.k8s.io"], ["leases"]),
            Rule(["impersonate"], [""], ["serviceaccounts"]),
        ];
        return
        [
            ("cluster-admin", [Rule(["*"], ["*"], ["*"]), new PolicyRule(["*"], [], [], [], ["*"])]),
            ("admin", [.. edit, Rule([.. ReadVerbs, .. WriteVerbs], ["rbac.authorization.k8s.io"], ["roles", "rolebindings"]),
                Rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"])]),
            ("edit", edit),
            ("view", view),
            ("system:discovery", [new PolicyRule(["get"], [], [], [], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"])]),
            ("system:basic-user", [Rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
                Rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"])]),
            ("system:public-info-viewer", [new PolicyRule(["get"], [], [], [], ["/healthz", "/livez", "/readyz", "/version", "/version/"])]),
        ];
    }

    private static PolicyRule Rule(string[] verbs, string[] groups, string[] resources) => new(verbs, groups, resources, [], []);

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static void CreateIfMissing(IResourceStore store, GroupResource resource, JsonObject obj)
    {
        try
        {
            store.Create(resource, null, obj);
        }
        catch (ApiException e) when (e.Status.Code == 409)
        {
            // Already there from an earlier start, possibly as the user changed it.
        }
    }
}
