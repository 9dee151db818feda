using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Sluice.ControlPlane.Schema;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Schema;

/// <summary>The AppRollout CRD's schema, enforced by the server: 422 naming the field, nothing stored.</summary>
public sealed class SchemaValidatorTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private static JsonObject Rollout(string name, Action<JsonObject> change)
    {
        var rollout = JsonNode.Parse("""
            {"apiVersion":"core.oam.dev/v1beta1","kind":"AppRollout","metadata":{"name":"NAME"},
             "spec":{"targetAppRevisionName":"app-v2","rolloutPlan":{"rolloutStrategy":"IncreaseFirst",
               "rolloutBatches":[{"replicas":1},{"replicas":"50%"}]}}}
            """.Replace("NAME", name, StringComparison.Ordinal))!.AsObject();
        change(rollout);
        return rollout;
    }

    public static TheoryData<string, string, string> Invalid => new()
    {
        { "sideways", "spec.rolloutPlan.rolloutStrategy", "spec.rolloutPlan.rolloutStrategy: Unsupported value: \"Sideways\": supported values: \"IncreaseFirst\", \"DecreaseFirst\"" },
        { "badpercent", "spec.rolloutPlan.rolloutBatches[1].replicas", "spec.rolloutPlan.rolloutBatches[1].replicas: Invalid value: \"abc%\": spec.rolloutPlan.rolloutBatches[1].replicas in body should match '^[0-9]+%$'" },
        { "negative", "spec.rolloutPlan.batchPartition", "spec.rolloutPlan.batchPartition: Invalid value: -1: spec.rolloutPlan.batchPartition in body should be greater than or equal to 0" },
        { "notarget", "spec.targetAppRevisionName", "spec.targetAppRevisionName: Required value: the revision to roll out to (or follow an Application: spec.follow.application)" },
        { "emptyfollow", "spec.follow.application", "spec.follow.application: Required value" },
    };

    private static void Break(string name, JsonObject rollout)
    {
        var plan = rollout["spec"]!["rolloutPlan"]!.AsObject();
        switch (name)
        {
            case "sideways":
                plan["rolloutStrategy"] = "Sideways";
                break;
            case "badpercent":
                plan["rolloutBatches"]![1]!["replicas"] = "abc%";
                break;
            case "negative":
                plan["batchPartition"] = -1;
                break;
            case "notarget":
                rollout["spec"]!.AsObject().Remove("targetAppRevisionName");
                break;
            case "emptyfollow":
                rollout["spec"]!.AsObject().Remove("targetAppRevisionName");
                rollout["spec"]!["follow"] = new JsonObject();
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Create_InvalidAppRollout_Gets422NamingTheFieldAndStoresNothing(string name, string field, string message)
    {
        using var client = plane.Client();
        var ns = plane.Fresh("schema");
        var rollout = Rollout(name, r => Break(name, r));

        var error = await Should.ThrowAsync<HttpOperationException>(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(rollout, "core.oam.dev", "v1beta1", ns, "approllouts"));

        error.Response.StatusCode.ShouldBe((HttpStatusCode)422);
        var status = JsonNode.Parse(error.Response.Content)!.AsObject();
        status["reason"]!.GetValue<string>().ShouldBe("Invalid");
        status["message"]!.GetValue<string>().ShouldBe($"AppRollout.core.oam.dev \"{name}\" is invalid: {message}");
        status["details"]!["kind"]!.GetValue<string>().ShouldBe("AppRollout");
        status["details"]!["causes"]![0]!["field"]!.GetValue<string>().ShouldBe(field);
        plane.Plane.Store.List(new("core.oam.dev", "approllouts"), ns).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_FollowingAnApplicationWithoutATarget_IsAccepted()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("schema-follow");
        var rollout = Rollout("follower", r =>
        {
            r["spec"]!.AsObject().Remove("targetAppRevisionName");
            r["spec"]!["follow"] = new JsonObject { ["application"] = "test-rolling" };
        });

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(rollout, "core.oam.dev", "v1beta1", ns, "approllouts");

        plane.Plane.Store.Get(new("core.oam.dev", "approllouts"), ns, "follower")["spec"]!["follow"]!["application"]!.GetValue<string>().ShouldBe("test-rolling");
    }

    [Fact]
    public async Task Update_IntoAnInvalidAppRollout_Gets422AndKeepsTheStoredObject()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("schema-update");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Rollout("valid", _ => { }), "core.oam.dev", "v1beta1", ns, "approllouts");

        var error = await Should.ThrowAsync<HttpOperationException>(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new k8s.Models.V1Patch("""{"spec":{"rolloutPlan":{"onFailure":"Explode"}}}""", k8s.Models.V1Patch.PatchType.MergePatch),
            "core.oam.dev", "v1beta1", ns, "approllouts", "valid"));

        error.Response.StatusCode.ShouldBe((HttpStatusCode)422);
        error.Response.Content.ShouldContain("spec.rolloutPlan.onFailure: Unsupported value: \\\"Explode\\\"");
        var stored = plane.Plane.Store.Get(new("core.oam.dev", "approllouts"), ns, "valid");
        stored["spec"]!["rolloutPlan"]!.AsObject().ContainsKey("onFailure").ShouldBeFalse();
    }

    [Fact]
    public async Task Create_UnknownField_IsRejectedWhenStrictAndDroppedOtherwise()
    {
        using var http = plane.Http();
        var ns = plane.Fresh("strict");
        var typo = Rollout("typo", r => r["spec"]!["rolloutPlann"] = new JsonObject());

        var strict = await http.PostAsync($"/apis/core.oam.dev/v1beta1/namespaces/{ns}/approllouts?fieldValidation=Strict",
            new StringContent(typo.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var lenient = await http.PostAsync($"/apis/core.oam.dev/v1beta1/namespaces/{ns}/approllouts",
            new StringContent(typo.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        strict.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await strict.Content.ReadAsStringAsync()).ShouldContain("strict decoding error: unknown field \\\"spec.rolloutPlann\\\"");
        lenient.StatusCode.ShouldBe(HttpStatusCode.Created);
        plane.Plane.Store.Get(new("core.oam.dev", "approllouts"), ns, "typo")["spec"]!.AsObject().ContainsKey("rolloutPlann").ShouldBeFalse();
    }

    [Fact]
    public void Validate_IntOrStringAndUnknownFields_AcceptsIntsAndPercentsAndPrunesTheUnknown()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "size":{"x-kubernetes-int-or-string":true,"pattern":"^[0-9]+%$","minimum":0},
              "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
              "mode":{"type":"string","default":"A"}}}}}
            """)!.AsObject();
        var obj = JsonNode.Parse("""{"spec":{"size":"20%","free":{"anything":[1]},"unknown":true},"status":{"x":1}}""")!.AsObject();

        var unknown = SchemaValidator.Prune(schema, obj);
        var errors = SchemaValidator.Validate(schema, obj);

        errors.ShouldBeEmpty();
        unknown.ShouldBe(["spec.unknown", "status"]);
        obj.ToJsonString().ShouldBe("""{"spec":{"size":"20%","free":{"anything":[1]},"mode":"A"}}""");
        SchemaValidator.Validate(schema, JsonNode.Parse("""{"spec":{"size":5}}""")!.AsObject()).ShouldBeEmpty();
        SchemaValidator.Validate(schema, JsonNode.Parse("""{"spec":{"size":true}}""")!.AsObject())
            .Single().Message.ShouldBe("Invalid value: \"boolean\": spec.size in body must be of type integer,string: \"boolean\"");
    }
}
