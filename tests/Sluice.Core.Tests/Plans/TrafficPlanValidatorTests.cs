using System.Text.Json;
using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Tests.Plans;

public class TrafficPlanValidatorTests
{
    private const string Route = "\"trafficRouting\": { \"service\": \"web\", \"gatewayAPI\": { \"httpRoutes\": [\"web\"] } }";

    public static TheoryData<string, string> Invalid() => new()
    {
        // Weights that go down, exceed 100%, or are malformed.
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"traffic\": \"10%\" }}, {{ \"replicas\": 1, \"traffic\": \"5%\" }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[1].traffic: Invalid value: \"5%\": is below the previous batch's \"10%\" (rolloutBatches[0].traffic): weights never go down"
        },
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"traffic\": \"110%\" }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].traffic: Invalid value: \"110%\": want a whole percent from \"0%\" to \"100%\", e.g. \"10%\""
        },
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"traffic\": \"10\" }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].traffic: Invalid value: \"10\": want a whole percent from \"0%\" to \"100%\", e.g. \"10%\""
        },
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1 }}, {{ \"traffic\": \"90%\" }} ] }}",
            "spec.rolloutPlan.rolloutBatches[1].traffic: Invalid value: \"90%\": the last batch always sends 100% of requests to the target: give \"100%\" or leave it out"
        },
        // Mirror and pause.
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"mirror\": \"150%\" }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].mirror: Invalid value: \"150%\": want a whole percent of requests to copy from \"0%\" to \"100%\", e.g. \"20%\""
        },
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"pause\": {{ \"duration\": \"5 minutes\" }} }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].pause.duration: Invalid value: \"5 minutes\": want a duration such as \"30s\", \"5m\" or \"1h30m\" (units ms, s, m, h; at most a year), or pause: {} to hold until promoted"
        },
        // Traffic fields without a router that can carry them.
        {
            "{ \"rolloutBatches\": [ { \"replicas\": 1, \"traffic\": \"10%\" }, {} ] }",
            "spec.rolloutPlan.rolloutBatches[0].traffic: Forbidden: \"10%\": it needs spec.rolloutPlan.trafficRouting naming the Service and a router (gatewayAPI, istio or nginx)"
        },
        {
            "{ \"trafficRouting\": { \"service\": \"web\" }, \"rolloutBatches\": [ { \"replicas\": 1, \"matches\": [ { \"headers\": [ { \"name\": \"x\", \"exact\": \"1\" } ] } ] }, {} ] }",
            "spec.rolloutPlan.rolloutBatches[0].matches: Forbidden: 1 entry: trafficRouting names no router (gatewayAPI, istio or nginx): with Services alone traffic follows the pods"
        },
        // Blue/green.
        {
            "{ \"blueGreen\": { \"activeService\": \"web\" }, \"rolloutBatches\": [ { \"replicas\": 1, \"traffic\": \"10%\" }, {} ] }",
            "spec.rolloutPlan.rolloutBatches[0].traffic: Forbidden: \"10%\": blue/green (spec.rolloutPlan.blueGreen) switches Services in one write; weights, matches and mirrors need trafficRouting instead"
        },
        {
            $"{{ \"blueGreen\": {{ \"activeService\": \"web\" }}, {Route}, \"rolloutBatches\": [ {{}} ] }}",
            "spec.rolloutPlan.trafficRouting: Forbidden: blue/green (spec.rolloutPlan.blueGreen) switches Services in one write and cannot be combined with trafficRouting weights; give one or the other"
        },
        {
            "{ \"blueGreen\": { \"previewService\": \"web-preview\" }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.blueGreen.activeService: Required value: the Service clients use"
        },
        {
            "{ \"blueGreen\": { \"activeService\": \"web\", \"previewService\": \"web\" }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.blueGreen.previewService: Invalid value: \"web\": must differ from activeService: the preview Service selects the target while the active one selects the source"
        },
        {
            "{ \"blueGreen\": { \"activeService\": \"web\", \"scaleDownDelaySeconds\": -5 }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.blueGreen.scaleDownDelaySeconds: Invalid value: -5: must be greater than or equal to 0"
        },
        // trafficRouting itself.
        {
            "{ \"trafficRouting\": { \"gatewayAPI\": { \"httpRoutes\": [\"web\"] } }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.trafficRouting.service: Required value: the Service clients use (the stable Service)"
        },
        {
            "{ \"trafficRouting\": { \"service\": \"Web_1\" }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.trafficRouting.service: Invalid value: \"Web_1\": not a valid Service name (at most 63 lowercase letters, digits and '-', starting with a letter)"
        },
        {
            "{ \"trafficRouting\": { \"service\": \"web\", \"canaryService\": \"web\" }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.trafficRouting.canaryService: Invalid value: \"web\": must differ from service: the canary Service selects only target pods"
        },
        {
            "{ \"trafficRouting\": { \"service\": \"web\", \"gatewayAPI\": { \"httpRoutes\": [\"a\", \"a\"] } }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.trafficRouting.gatewayAPI.httpRoutes[1]: Duplicate value: \"a\""
        },
        {
            "{ \"trafficRouting\": { \"service\": \"web\", \"istio\": { \"virtualServices\": [ { \"routes\": [\"r\"] } ] } }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.trafficRouting.istio.virtualServices[0].name: Required value: the VirtualService's name"
        },
        {
            "{ \"trafficRouting\": { \"service\": \"web\", \"nginx\": {} }, \"rolloutBatches\": [ {} ] }",
            "spec.rolloutPlan.trafficRouting.nginx.ingress: Required value: the Ingress (class nginx) that targets the service"
        },
        // Matches.
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"matches\": [ {{}} ] }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].matches[0]: Required value: give at least one of headers, cookie or queryParams"
        },
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"matches\": [ {{ \"headers\": [ {{ \"name\": \"x\", \"exact\": \"1\", \"prefix\": \"1\" }} ] }} ] }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].matches[0].headers[0]: Invalid value: exact and prefix: give exactly one of exact, prefix or regex"
        },
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"matches\": [ {{ \"headers\": [ {{ \"name\": \"x y\", \"exact\": \"1\" }} ] }} ] }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].matches[0].headers[0].name: Invalid value: \"x y\": not a valid HTTP header name"
        },
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"matches\": [ {{ \"cookie\": {{ \"name\": \"beta\" }} }} ] }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].matches[0].cookie.value: Required value: the cookie's value"
        },
        {
            $"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"matches\": [ {{ \"queryParams\": [ {{ \"name\": \"beta\" }} ] }} ] }}, {{}} ] }}",
            "spec.rolloutPlan.rolloutBatches[0].matches[0].queryParams[0].exact: Required value: the value the query parameter must have"
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_BadInput_NamesTheFieldAndTheValue(string plan, string message)
    {
        var errors = TrafficPlanValidator.Validate(Read(plan));

        errors.Select(e => e.Message).ShouldContain(message, string.Join("\n", errors.Select(e => e.Message)));
        errors.First(e => e.Message == message).Field.ShouldBe(message[..message.IndexOf(": ", StringComparison.Ordinal)]);
    }

    [Fact]
    public void Validate_HeaderRegexThatDoesNotCompile_SaysWhy()
    {
        var errors = TrafficPlanValidator.Validate(Read($"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"matches\": [ {{ \"headers\": [ {{ \"name\": \"x\", \"regex\": \"(a\" }} ] }} ] }}, {{}} ] }}"));

        errors.ShouldHaveSingleItem().Message.ShouldStartWith("spec.rolloutPlan.rolloutBatches[0].matches[0].headers[0].regex: Invalid value: \"(a\": not a regular expression: ");
    }

    [Theory]
    [InlineData("{ \"rolloutBatches\": [ { \"replicas\": 1 }, {} ] }")]
    [InlineData($"{{ {Route}, \"rolloutBatches\": [ {{ \"replicas\": 1, \"traffic\": \"5%\", \"pause\": {{}} }}, {{ \"replicas\": 1, \"traffic\": \"5%\", \"mirror\": \"100%\", \"pause\": {{ \"duration\": \"1h30m\" }} }}, {{ \"traffic\": \"100%\" }} ] }}")]
    [InlineData("{ \"blueGreen\": { \"activeService\": \"web\", \"autoPromotionSeconds\": 0 }, \"rolloutBatches\": [ { \"replicas\": \"50%\", \"pause\": { \"duration\": \"30s\" } }, {} ] }")]
    [InlineData("{ \"trafficRouting\": { \"service\": \"web\", \"istio\": { \"virtualServices\": [ { \"name\": \"web\", \"routes\": [\"primary\"] } ] } }, \"rolloutBatches\": [ { \"replicas\": 1, \"matches\": [ { \"headers\": [ { \"name\": \"x-beta\", \"regex\": \"^(1|yes)$\" } ], \"cookie\": { \"name\": \"beta\", \"value\": \"always\" }, \"queryParams\": [ { \"name\": \"b\", \"exact\": \"\" } ] } ] }, {} ] }")]
    public void Validate_GoodPlan_HasNoErrors(string plan) => TrafficPlanValidator.Validate(Read(plan)).ShouldBeEmpty();

    [Theory]
    [InlineData("StatefulSet", "spec.rolloutPlan.blueGreen: Forbidden: blue/green is not supported for a StatefulSet: a StatefulSet's pods keep stable names and volumes, so a second full set cannot run beside the first")]
    [InlineData("DaemonSet", "spec.rolloutPlan.blueGreen: Forbidden: blue/green is not supported for a DaemonSet: a DaemonSet runs one pod per node, so a second full set cannot run beside the first")]
    public void ValidateWorkloadKind_BlueGreenOnOneObjectKinds_IsRefusedWithWhy(string kind, string message) =>
        TrafficPlanValidator.ValidateWorkloadKind(new RolloutPlan { BlueGreen = new BlueGreen { ActiveService = "web" } }, kind)!.Message.ShouldBe(message);

    [Theory]
    [InlineData("Deployment")]
    [InlineData("CloneSet")]
    public void ValidateWorkloadKind_BlueGreenOnTwoObjectKinds_IsAccepted(string kind) =>
        TrafficPlanValidator.ValidateWorkloadKind(new RolloutPlan { BlueGreen = new BlueGreen { ActiveService = "web" } }, kind).ShouldBeNull();

    [Fact]
    public void ValidateWorkloadKind_WithoutBlueGreen_AcceptsAnyKind() =>
        TrafficPlanValidator.ValidateWorkloadKind(new RolloutPlan(), "DaemonSet").ShouldBeNull();

    private static RolloutPlan Read(string json) => JsonSerializer.Deserialize<RolloutPlan>(json, SluiceJson.Options)!;
}
