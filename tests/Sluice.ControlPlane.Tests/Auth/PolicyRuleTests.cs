using Sluice.ControlPlane.Auth;

namespace Sluice.ControlPlane.Tests.Auth;

public sealed class PolicyRuleTests
{
    private static PolicyRule Rule(string[] verbs, string[] groups, string[] resources, string[]? names = null) =>
        new(verbs, groups, resources, names ?? [], []);

    private static RequestAttributes Request(string verb, string group, string resource, string subresource = "", string name = "") =>
        RequestAttributes.ForResource(verb, group, resource, subresource, "ns", name);

    public static TheoryData<PolicyRule, RequestAttributes, bool> Cases => new()
    {
        { Rule(["get"], [""], ["pods"]), Request("get", "", "pods"), true },
        { Rule(["get"], [""], ["pods"]), Request("list", "", "pods"), false },
        { Rule(["get"], [""], ["pods"]), Request("get", "apps", "pods"), false },
        { Rule(["*"], ["*"], ["*"]), Request("delete", "apps", "deployments", "scale"), true },
        { Rule(["get"], [""], ["pods"]), Request("get", "", "pods", "log"), false },
        { Rule(["get"], [""], ["pods/log"]), Request("get", "", "pods", "log"), true },
        { Rule(["get"], [""], ["*/status"]), Request("get", "", "pods", "status"), true },
        { Rule(["get"], [""], ["*/status"]), Request("get", "", "pods"), false },
        { Rule(["get"], [""], ["configmaps"], ["one"]), Request("get", "", "configmaps", name: "one"), true },
        { Rule(["get"], [""], ["configmaps"], ["one"]), Request("get", "", "configmaps", name: "two"), false },
        // A rule limited to names never allows a request that names none (list, create).
        { Rule(["list"], [""], ["configmaps"], ["one"]), Request("list", "", "configmaps"), false },
        { new PolicyRule(["get"], [], [], [], ["/healthz"]), RequestAttributes.ForPath("get", "/healthz"), true },
        { new PolicyRule(["get"], [], [], [], ["/apis/*"]), RequestAttributes.ForPath("get", "/apis/apps/v1"), true },
        { new PolicyRule(["get"], [], [], [], ["/apis/*"]), RequestAttributes.ForPath("get", "/api"), false },
        { new PolicyRule(["get"], [], [], [], ["/healthz"]), RequestAttributes.ForPath("post", "/healthz"), false },
        // Resource rules never match paths, nor path rules resources.
        { Rule(["*"], ["*"], ["*"]), RequestAttributes.ForPath("get", "/version"), false },
        { new PolicyRule(["*"], [], [], [], ["*"]), Request("get", "", "pods"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_Request_AsKubernetesRbacDoes(PolicyRule rule, RequestAttributes request, bool expected) =>
        rule.Matches(request).ShouldBe(expected);
}
