using System.Text.Json.Nodes;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Evaluation;

/// <summary>The language features of the subset, each through a template's output.</summary>
public class EvaluatorTests
{
    private static readonly RenderContext Context = new("api", "shop", "prod", "shop-v1", 1);

    private static JsonObject Output(string template, string properties = "{}")
    {
        var result = ComponentRenderer.Render("demo", template, JsonNode.Parse(properties)!.AsObject(), Context);
        result.Error.ShouldBeNull();
        return result.Value.Output;
    }

    private static void ShouldOutput(string template, string expected, string properties = "{}") =>
        JsonAssert.Equal(JsonNode.Parse(expected), Output(template, properties));

    [Fact]
    public void Evaluate_Literals_ExportAsJson()
    {
        ShouldOutput("""
            output: {
                s: "text"
                i: 42
                n: -7
                h: 0x1F
                u: 1_000
                f: 1.5
                e: 2e3
                t: true
                z: null
                l: [1, "a", false]
                o: {}
            }
            """, """{"s":"text","i":42,"n":-7,"h":31,"u":1000,"f":1.5,"e":2000.0,"t":true,"z":null,"l":[1,"a",false],"o":{}}""");
    }

    [Fact]
    public void Evaluate_StringsAndInterpolation_ConcatenateAndFormat()
    {
        ShouldOutput(""""
            output: {
                a: "\(context.name)-\(context.appRevisionNum)"
                b: "x" + "y"
                c: "half: \(1 / 2), \(true)"
                d: "quote \" tab\t unicode \u00e9"
                e: """
                    first
                      second "quoted"
                    """
            }
            """", """{"a":"api-1","b":"xy","c":"half: 0.5, true","d":"quote \" tab\t unicode \u00e9","e":"first\n  second \"quoted\""}""");
    }

    [Fact]
    public void Evaluate_ReferencesAndSelectors_ResolveLexically()
    {
        ShouldOutput("""
            output: {
                name: context.name
                image: parameter.image
                cmd: parameter["cmd"]
                first: parameter.cmd[0]
                nested: inner.value
                inner: value: name + "!"
            }
            parameter: {
                image: string
                cmd: [...string]
            }
            """, """{"name":"api","image":"nginx","cmd":["a","b"],"first":"a","nested":"api!","inner":{"value":"api!"}}""",
            """{"image":"nginx","cmd":["a","b"]}""");
    }

    [Fact]
    public void Evaluate_FieldDeclaredInSeveralPlaces_IsUnified()
    {
        ShouldOutput("""
            output: metadata: labels: {app: "a"}
            output: metadata: name: "n"
            output: {
                metadata: labels: tier: "web"
                spec: port: int
            }
            output: spec: port: 80
            output: check: output.metadata.labels.tier
            """, """{"metadata":{"labels":{"app":"a","tier":"web"},"name":"n"},"spec":{"port":80},"check":"web"}""");
    }

    [Fact]
    public void Evaluate_BottomTests_DistinguishSetAndUnsetFields()
    {
        ShouldOutput("""
            output: {
                hasA: parameter.a != _|_
                hasB: parameter["b"] != _|_
                noB: parameter.b == _|_
                hasMissing: parameter.nope != _|_
            }
            parameter: {
                a?: int
                b?: int
            }
            """, """{"hasA":true,"hasB":false,"noB":true,"hasMissing":false}""", """{"a":1}""");
    }

    [Fact]
    public void Evaluate_IfComprehensions_AddFieldsAndListElements()
    {
        ShouldOutput("""
            output: {
                if parameter.debug {
                    debug: "on"
                }
                if !parameter.debug {
                    quiet: true
                }
                items: [
                    "always",
                    if parameter.debug { "debug" },
                    if parameter.port > 1024 { "unprivileged" },
                ]
            }
            parameter: {
                debug: *false | bool
                port: *80 | int
            }
            """, """{"quiet":true,"items":["always","unprivileged"]}""", """{"port":8080}""");
    }

    [Fact]
    public void Evaluate_ForComprehensions_IterateStructsAndLists()
    {
        ShouldOutput("""
            output: {
                env: [for k, v in parameter.vars { name: k, value: v }]
                doubled: [for i, x in parameter.nums if x > 1 { x * 2 + i }]
                labels: {
                    for k, v in parameter.vars {
                        "env/\(k)": v
                    }
                }
            }
            parameter: {
                vars: [string]: string
                nums: [...int]
            }
            """,
            """{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"doubled":[5,8],"labels":{"env/A":"1","env/B":"2"}}""",
            """{"vars":{"A":"1","B":"2"},"nums":[1,2,3]}""");
    }

    [Fact]
    public void Evaluate_DefaultsAndDisjunctions_PickTheDefaultOrTheGivenValue()
    {
        ShouldOutput("""
            output: {
                port: parameter.port
                policy: parameter.policy
                mode: parameter.mode
                sum: parameter.port + 1
                fixed: (*"a" | "b") & "b"
                tighter: *"a" | "b" & "b"
            }
            parameter: {
                port: *80 | int
                policy: *"IfNotPresent" | "Always" | "Never"
                mode: "fast" | "safe"
            }
            """, """{"port":80,"policy":"Always","mode":"safe","sum":81,"fixed":"b","tighter":"a"}""", """{"policy":"Always","mode":"safe"}""");
    }

    [Fact]
    public void Evaluate_OptionalFields_AreNotExported()
    {
        ShouldOutput("""
            output: {
                a?: 1
                b: 2
                c?: int
            }
            """, """{"b":2}""");
    }

    [Fact]
    public void Evaluate_TypesOfListsAndStructs_ConstrainElements()
    {
        ShouldOutput("""
            output: {
                ports: parameter.ports
                env: parameter.env
            }
            parameter: {
                ports: [...{name: *"http" | string, port: int}]
                env: [...{name: string, value: *"" | string}]
            }
            """,
            """{"ports":[{"name":"http","port":80},{"name":"admin","port":9000}],"env":[{"name":"A","value":""}]}""",
            """{"ports":[{"port":80},{"name":"admin","port":9000}],"env":[{"name":"A"}]}""");
    }

    [Fact]
    public void Evaluate_ArithmeticComparisonAndBooleans_ComputeValues()
    {
        ShouldOutput("""
            output: {
                add: 2 + 3 * 4
                sub: 10 - 2 - 3
                div: 7 / 2
                neg: -(3 + 1)
                mixed: 1 + 0.5
                lt: 1 < 2
                ge: "b" >= "a"
                eq: 1 == 1.0
                ne: "a" != "b"
                and: true && false
                or: false || true
                not: !true
                match: "v1.2" =~ "^v[0-9]"
                len: len(parameter.cmd)
                join: strings.Join(parameter.cmd, " ")
            }
            parameter: cmd: [...string]
            """,
            """{"add":14,"sub":5,"div":3.5,"neg":-4,"mixed":1.5,"lt":true,"ge":true,"eq":true,"ne":true,"and":false,"or":true,"not":false,"match":true,"len":2,"join":"a b"}""",
            """{"cmd":["a","b"]}""");
    }

    [Fact]
    public void Evaluate_LetBindings_AreVisibleAndNotExported()
    {
        ShouldOutput("""
            let base = "\(context.appName)-\(context.name)"
            output: {
                let suffix = "svc"
                name: "\(base)-\(suffix)"
                _hidden: "not exported"
                #Def: "not exported either"
                for i, x in [1, 2] let y = x * 10 {
                    "n\(i)": y
                }
            }
            """, """{"name":"shop-api-svc","n0":10,"n1":20}""");
    }

    [Fact]
    public void Evaluate_EmbeddedReference_UnifiesIntoTheStruct()
    {
        ShouldOutput("""
            let common = {
                app: context.name
            }
            output: labels: {
                common
                extra: "x"
            }
            """, """{"labels":{"app":"api","extra":"x"}}""");
    }

    [Fact]
    public void Evaluate_Unification_MergesStructsAndChecksTypes()
    {
        ShouldOutput("""
            #Port: {port: int, protocol: *"TCP" | "UDP"}
            output: {
                p: #Port & {port: 80}
                q: {a: 1} & {b: 2}
                n: int & 3
                s: string & "x"
            }
            """, """{"p":{"port":80,"protocol":"TCP"},"q":{"a":1,"b":2},"n":3,"s":"x"}""");
    }

    [Fact]
    public void Evaluate_ReferenceThroughCopiedStruct_RebindsToTheCopy()
    {
        ShouldOutput("""
            #Base: {
                name: string
                greeting: "hello \(name)"
            }
            output: #Base & {name: "sluice"}
            """, """{"name":"sluice","greeting":"hello sluice"}""");
    }

    [Fact]
    public void Evaluate_Bounds_AcceptValuesInRange()
    {
        ShouldOutput("""
            output: {
                replicas: parameter.replicas
                ratio: parameter.ratio
                tag: parameter.tag
                name: parameter.name
            }
            parameter: {
                replicas: *1 | int & >=0 & <=100
                ratio: >0.0 & <1.0
                tag: string & =~"^v[0-9]+$"
                name: string & !=""
            }
            """, """{"replicas":7,"ratio":0.25,"tag":"v2","name":"x"}""", """{"replicas":7,"ratio":0.25,"tag":"v2","name":"x"}""");
    }

    [Fact]
    public void Evaluate_PatternAppliedToFieldAlreadyUsed_ReevaluatesTheField()
    {
        ShouldOutput("""
            output: {
                [string]: {kind: *"x" | string}
                a: {name: "n"}
                if a.name == "n" {
                    b: {name: "m", kind: "y"}
                }
            }
            """, """{"a":{"name":"n","kind":"x"},"b":{"name":"m","kind":"y"}}""");
    }
}
