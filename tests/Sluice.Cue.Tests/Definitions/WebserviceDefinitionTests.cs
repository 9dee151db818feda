using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Definitions;

/// <summary>deploy/definitions/webservice.yaml, rendered for component "api" of application "shop".</summary>
public class WebserviceDefinitionTests
{
    /// <summary>Every optional parameter absent: defaults apply and optional fields are left out.</summary>
    [Fact]
    public void Render_OnlyRequiredParameters_UsesDefaultsAndOmitsEveryOptionalField()
    {
        const string properties = """
            {"image":"nginx:1.27"}
            """;

        BuiltIn.ShouldRender(
            "webservice",
            properties,
            """
            {
              "apiVersion": "apps/v1",
              "kind": "Deployment",
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
            new Dictionary<string, string>
            {
                ["service"] = """
                {
                  "apiVersion": "v1",
                  "kind": "Service",
                  "metadata": {
                    "name": "api",
                    "labels": {
                      "app.oam.dev/component": "api"
                    }
                  },
                  "spec": {
                    "type": "ClusterIP",
                    "selector": {
                      "app.oam.dev/component": "api"
                    },
                    "ports": [
                      {
                        "name": "http",
                        "port": 80,
                        "targetPort": 80,
                        "protocol": "TCP"
                      }
                    ]
                  }
                }
                """,
            });
    }

    /// <summary>Every optional parameter present (and every default overridden).</summary>
    [Fact]
    public void Render_EveryOptionalParameter_RendersEachOne()
    {
        const string properties = """
            {"image":"nginx:1.27","cmd":["run"],"args":["--x"],"cpu":"500m","memory":"256Mi","labels":{"team":"a"},"annotations":{"note":"n"},"imagePullPolicy":"Always","env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}],"port":8080,"exposeType":"NodePort","replicas":3}
            """;

        BuiltIn.ShouldRender(
            "webservice",
            properties,
            """
            {
              "apiVersion": "apps/v1",
              "kind": "Deployment",
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
                        "imagePullPolicy": "Always",
                        "command": [
                          "run"
                        ],
                        "args": [
                          "--x"
                        ],
                        "env": [
                          {
                            "name": "A",
                            "value": "1"
                          },
                          {
                            "name": "B",
                            "valueFrom": {
                              "secretKeyRef": {
                                "name": "s",
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
                }
              }
            }
            """,
            new Dictionary<string, string>
            {
                ["service"] = """
                {
                  "apiVersion": "v1",
                  "kind": "Service",
                  "metadata": {
                    "name": "api",
                    "labels": {
                      "app.oam.dev/component": "api"
                    }
                  },
                  "spec": {
                    "type": "NodePort",
                    "selector": {
                      "app.oam.dev/component": "api"
                    },
                    "ports": [
                      {
                        "name": "http",
                        "port": 8080,
                        "targetPort": 8080,
                        "protocol": "TCP"
                      }
                    ]
                  }
                }
                """,
            });
    }
}
