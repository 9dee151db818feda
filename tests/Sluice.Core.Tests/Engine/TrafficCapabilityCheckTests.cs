using System.Text.Json;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Core.Tests.Engine;

public class TrafficCapabilityCheckTests
{
    private static readonly TrafficCapabilities Nginx = new()
    {
        Weights = true, HeaderExact = true, HeaderPrefix = true, HeaderRegex = true, Cookie = true, CookieValue = "always",
        QueryParams = false, CombinedConditions = false, MaxHeaders = 1, MaxCookies = 1, Mirror = MirrorSupport.AllOrNothing,
    };

    private static readonly TrafficCapabilities Everything = new()
    {
        Weights = true, HeaderExact = true, HeaderPrefix = true, HeaderRegex = true, Cookie = true, QueryParams = true, Mirror = MirrorSupport.Percent,
    };

    public static TheoryData<string, string> NginxRefuses() => new()
    {
        {
            "{ \"mirror\": \"20%\" }",
            "spec.rolloutPlan.rolloutBatches[0].mirror: Forbidden: \"20%\": NGINX Ingress \"web\" mirrors every request or none: give \"100%\" or no mirror"
        },
        {
            "{ \"matches\": [ { \"queryParams\": [ { \"name\": \"b\", \"exact\": \"1\" } ] } ] }",
            "spec.rolloutPlan.rolloutBatches[0].matches[0].queryParams: Forbidden: NGINX Ingress \"web\" cannot match on query parameters"
        },
        {
            "{ \"matches\": [ { \"cookie\": { \"name\": \"beta\", \"value\": \"yes\" } } ] }",
            "spec.rolloutPlan.rolloutBatches[0].matches[0].cookie.value: Forbidden: \"yes\": NGINX Ingress \"web\" only sends a cookie whose value is \"always\" to the target"
        },
        {
            "{ \"matches\": [ { \"headers\": [ { \"name\": \"a\", \"exact\": \"1\" } ] }, { \"headers\": [ { \"name\": \"b\", \"exact\": \"1\" } ] } ] }",
            "spec.rolloutPlan.rolloutBatches[0].matches: Forbidden: 2 header conditions: NGINX Ingress \"web\" can match on at most 1 header"
        },
        {
            "{ \"matches\": [ { \"headers\": [ { \"name\": \"a\", \"exact\": \"1\" } ], \"cookie\": { \"name\": \"beta\", \"value\": \"always\" } } ] }",
            "spec.rolloutPlan.rolloutBatches[0].matches[0]: Forbidden: 2 conditions in one entry: NGINX Ingress \"web\" cannot require several together; give each condition its own entry (requests matching any entry go to the target)"
        },
    };

    [Theory]
    [MemberData(nameof(NginxRefuses))]
    public void Check_WhatNginxCannotExpress_NamesTheFieldAndTheRouter(string batch, string message) =>
        TrafficCapabilityCheck.Check(Plan(batch), "NGINX Ingress \"web\"", Nginx).Select(e => e.Message).ShouldBe([message]);

    [Fact]
    public void Check_NginxHeaderOrCookieAndFullMirror_IsExpressible() =>
        TrafficCapabilityCheck.Check(
            Plan("{ \"traffic\": \"10%\", \"mirror\": \"100%\", \"matches\": [ { \"headers\": [ { \"name\": \"a\", \"regex\": \"^x\" } ] }, { \"cookie\": { \"name\": \"beta\", \"value\": \"always\" } } ] }"),
            "NGINX Ingress \"web\"", Nginx).ShouldBeEmpty();

    [Fact]
    public void Check_ServicesAlone_RefuseWeightsMatchesAndMirror()
    {
        var errors = TrafficCapabilityCheck.Check(
            Plan("{ \"traffic\": \"10%\", \"mirror\": \"10%\", \"matches\": [ { \"headers\": [ { \"name\": \"a\", \"prefix\": \"x\" } ] } ] }"),
            "Services alone", TrafficCapabilities.None);

        errors.Select(e => e.Field).ShouldBe([
            "spec.rolloutPlan.rolloutBatches[0].traffic",
            "spec.rolloutPlan.rolloutBatches[0].matches[0].headers[0].prefix",
            "spec.rolloutPlan.rolloutBatches[0].mirror",
        ]);
    }

    [Fact]
    public void Check_FullRouter_ExpressesEverything() =>
        TrafficCapabilityCheck.Check(
            Plan("{ \"traffic\": \"10%\", \"mirror\": \"15%\", \"matches\": [ { \"headers\": [ { \"name\": \"a\", \"prefix\": \"x\" }, { \"name\": \"b\", \"exact\": \"y\" } ], \"cookie\": { \"name\": \"c\", \"value\": \"v\" }, \"queryParams\": [ { \"name\": \"q\", \"exact\": \"1\" } ] } ] }"),
            "HTTPRoute \"web\"", Everything).ShouldBeEmpty();

    [Fact]
    public void Check_MirrorZero_NeedsNoMirrorSupport() =>
        TrafficCapabilityCheck.Check(Plan("{ \"mirror\": \"0%\" }"), "Services alone", TrafficCapabilities.None).ShouldBeEmpty();

    private static RolloutPlan Plan(string batch) =>
        JsonSerializer.Deserialize<RolloutPlan>($"{{ \"rolloutBatches\": [ {batch}, {{}} ] }}", SluiceJson.Options)!;
}
