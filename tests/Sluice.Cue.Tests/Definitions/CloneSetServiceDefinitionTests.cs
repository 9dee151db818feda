using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Definitions;

/// <summary>deploy/definitions/clonesetservice.yaml, rendered for component "api" of application "shop".</summary>
public class CloneSetServiceDefinitionTests
{
    /// <summary>Every optional parameter absent: defaults apply and optional fields are left out.</summary>
    [Fact]
    public void Render_OnlyRequiredParameters_UsesDefaultsAndOmitsEveryOptionalField()
    {
        const string properties = """
            {"image":"nginx:1.27"}
            """;

        BuiltIn.ShouldRender(
            "clonesetservice",
            properties,
            """
            {
              "apiVersion": "apps.kruise.io/v1alpha1",
              "kind": "CloneSet",
              "metadata": {
                "labels": {
                  "app.oam.dev/component": "api"
                }
              },
              "spec": {
                "replicas": 1,
                "selector": {
                  "matchLabels": {
                    "app.oam.dev/component": "api"
                  }
                },
                "template": {
                  "metadata": {
                    "labels": {
                      "app.oam.dev/component": "api"
                    }
                  },
                  "spec": {
                    "containers": [
                      {
                        "name": "api",
                        "image": "nginx:1.27",
                        "ports": [
                          {
                            "name": "http",
                            "containerPort": 80,
                            "protocol": "TCP"
                          }
                        ]
                      }
                    ]
                  }
                }
              }
            }
            """,
            null);
    }

    /// <summary>Every optional parameter present (and every default overridden).</summary>
    [Fact]
    public void Render_EveryOptionalParameter_RendersEachOne()
    {
        const string properties = """
            {"image":"nginx:1.27","cmd":["run"],"args":["--x"],"cpu":"500m","memory":"256Mi","labels":{"team":"a"},"annotations":{"note":"n"},"env":[{"name":"A","valueFrom":{"configMapKeyRef":{"name":"c","key":"k"}}}],"port":8080,"replicas":3,"updateStrategyType":"InPlaceIfPossible","maxUnavailable":"20%","maxSurge":1}
            """;

        BuiltIn.ShouldRender(
            "clonesetservice",
            properties,
            """
            {
              "apiVersion": "apps.kruise.io/v1alpha1",
              "kind": "CloneSet",
              "metadata": {
                "labels": {
                  "app.oam.dev/component": "api",
                  "team": "a"
                },
                "annotations": {
                  "note": "n"
                }
              },
              "spec": {
                "replicas": 3,
                "selector": {
                  "matchLabels": {
                    "app.oam.dev/component": "api"
                  }
                },
                "template": {
                  "metadata": {
                    "labels": {
                      "app.oam.dev/component": "api",
                      "team": "a"
                    },
                    "annotations": {
                      "note": "n"
                    }
                  },
                  "spec": {
                    "containers": [
                      {
                        "name": "api",
                        "image": "nginx:1.27",
                        "ports": [
                          {
                            "name": "http",
                            "containerPort": 8080,
                            "protocol": "TCP"
                          }
                        ],
                        "command": [
                          "run"
                        ],
                        "args": [
                          "--x"
                        ],
                        "env": [
                          {
                            "name": "A",
                            "valueFrom": {
                              "configMapKeyRef": {
                                "name": "c",
                                "key": "k"
                              }
                            }
                          }
                        ],
                        "resources": {
                          "limits": {
                            "cpu": "500m",
                            "memory": "256Mi"
                          },
                          "requests": {
                            "cpu": "500m",
                            "memory": "256Mi"
                          }
                        }
                      }
                    ]
                  }
                },
                "updateStrategy": {
                  "type": "InPlaceIfPossible",
                  "maxUnavailable": "20%",
                  "maxSurge": 1
                }
              }
            }
            """,
            null);
    }
}
