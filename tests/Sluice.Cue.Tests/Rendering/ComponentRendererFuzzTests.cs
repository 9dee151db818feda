using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Sluice.Cue.Catalog;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Rendering;

/// <summary>
/// Random and mutated templates: the parser, evaluator and catalog return a result (value or
/// error) and never throw or hang.
/// </summary>
public class ComponentRendererFuzzTests
{
    private static readonly RenderContext Context = new("api", "shop", "prod", "shop-v1", 1);
    private static readonly TimeSpan PerCaseTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "(", ")", ":", "?:", ",", "\n", " ", "...", "_|_", "*", "|", "&", "&&", "||", "!", "==", "!=",
        "+", "-", "/", "<", ">=", "=~", "\"", "\"\"\"\n", "\\(", "//", "if ", "for k, v in ", " in ", "let x = ", "x", "k", "v",
        "output", "outputs", "parameter", "context.name", "parameter.image", "parameter[\"cmd\"]", "string", "int", "bool",
        "[...string]", "{...}", "0", "1", "80", "1.5", "1e999", "0x", "true", "null", "\"a\"", "len(", "strings.Join(", "#D", "_h",
        "[string]: ", "output: ", "parameter: ", "output.a", "\"\\(x)\"",
    ];

    private static IEnumerable<string> Corpus()
    {
        yield return TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition);
        foreach (var name in BuiltIn.Names)
        {
            yield return TestFiles.Template(TestFiles.BuiltInDefinition(name));
        }
        yield return """
            let base = "\(context.appName)-\(context.name)"
            #Port: {port: int, protocol: *"TCP" | "UDP"}
            output: {
                p: #Port & {port: parameter.port}
                env: [for k, v in parameter.vars if v != "" { name: k, value: v }]
                if parameter.debug { debug: base + "!" }
                items: [1, if parameter.port > 1 { 2 }, ...int]
            }
            parameter: {
                port: *80 | int
                debug: *false | bool
                vars: [string]: string
            }
            """;
    }

    private static readonly JsonObject[] PropertySets =
    [
        [],
        JsonNode.Parse("""{"image":"nginx","port":8080,"cmd":["a"],"env":[{"name":"A","value":"1"}],"replicas":2}""")!.AsObject(),
        JsonNode.Parse("""{"image":1,"port":"x","debug":true,"vars":{"A":"1","B":""},"labels":{"a":"b"}}""")!.AsObject(),
    ];

    /// <summary>Runs parse, render and describe on one template; fails with the template on a throw or a hang.</summary>
    private static void ShouldReturnAResult(string template)
    {
        var work = Task.Run(() =>
        {
            foreach (var properties in PropertySets)
            {
                var result = ComponentRenderer.Render("fuzz", template, (JsonObject)properties.DeepClone(), Context);
                if (!result.IsSuccess)
                {
                    result.Error!.Message.ShouldStartWith("definition \"fuzz\": ");
                }
            }
            DefinitionCatalog.Describe("fuzz", template).ShouldNotBeNull();
        });
        bool finished;
        try
        {
            finished = work.Wait(PerCaseTimeout);
        }
        catch (AggregateException e)
        {
            throw new Xunit.Sdk.XunitException($"Threw {e.InnerException}\nfor template:\n{template}");
        }
        if (!finished)
        {
            throw new Xunit.Sdk.XunitException($"Did not finish within {PerCaseTimeout} for template:\n{template}");
        }
    }

    private static string Mutate(string text, Random random)
    {
        var b = new StringBuilder(text);
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits; i++)
        {
            var at = random.Next(b.Length + 1);
            switch (random.Next(5))
            {
                case 0 when b.Length > 0:
                    b.Remove(Math.Min(at, b.Length - 1), Math.Min(random.Next(1, 20), b.Length - Math.Min(at, b.Length - 1)));
                    break;
                case 1:
                    b.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2 when b.Length > 0:
                    var start = random.Next(b.Length);
                    var length = Math.Min(random.Next(1, 80), b.Length - start);
                    b.Insert(at, b.ToString(start, length));
                    break;
                case 3 when b.Length > 0:
                    b[Math.Min(at, b.Length - 1)] = (char)random.Next(32, 127);
                    break;
                default:
                    b.Insert(at, "\n");
                    break;
            }
        }
        return b.ToString();
    }

    [Fact]
    public void Render_MutatedTemplates_ReturnAResultAndNeverThrow()
    {
        var random = new Random(20_240_501);
        var corpus = Corpus().ToList();
        for (var i = 0; i < 600; i++)
        {
            ShouldReturnAResult(Mutate(corpus[i % corpus.Count], random));
        }
    }

    [Fact]
    public void Render_RandomFragmentSoup_ReturnsAResultAndNeverThrows()
    {
        var fragments = Gen.Elements(Fragments);
        var templates = Gen.ArrayOf(fragments).Select(parts => string.Concat(parts)).ToArbitrary();

        Prop.ForAll(templates, template =>
        {
            ShouldReturnAResult(template);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Render_SoupWrappedAsOutput_ReturnsAResultAndNeverThrows()
    {
        var fragments = Gen.Elements(Fragments);
        var templates = Gen.ArrayOf(fragments)
            .Select(parts => "parameter: {image: string, port: *80 | int}\noutput: {\n" + string.Concat(parts) + "\n}")
            .ToArbitrary();

        Prop.ForAll(templates, template =>
        {
            ShouldReturnAResult(template);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(50_000)]
    public void Render_LongReferenceChain_StopsAtTheDepthLimit(int length)
    {
        var b = new StringBuilder("output: v: a0\n");
        for (var i = 0; i < length; i++)
        {
            b.Append("a").Append(i).Append(": a").Append(i + 1).Append('\n');
        }
        b.Append("a").Append(length).Append(": 1\n");

        var result = ComponentRenderer.Render("deep", b.ToString(), [], Context);

        result.Error!.Kind.ShouldBe(CueErrorKind.Limit);
    }

    [Fact]
    public void Render_ExponentialStrings_StopAtABudget()
    {
        var b = new StringBuilder("a0: \"xy\"\n");
        for (var i = 1; i <= 64; i++)
        {
            b.Append($"a{i}: \"\\(a{i - 1})\\(a{i - 1})\"\n");
        }
        b.Append("output: v: a64\n");

        var result = ComponentRenderer.Render("blowup", b.ToString(), [], Context);

        result.Error!.Kind.ShouldBe(CueErrorKind.Limit);
    }

    [Fact]
    public void Render_NestedComprehensions_StopAtTheStepBudget()
    {
        const string template = """
            l: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            output: x: [for a in l for b in l for c in l for d in l for e in l for f in l { a + b + c + d + e + f }]
            """;

        var result = ComponentRenderer.Render("loops", template, [], Context);

        result.Error!.Kind.ShouldBe(CueErrorKind.Limit);
        result.Error.Message.ShouldBe("definition \"loops\": evaluation exceeded 200000 steps");
    }
}
