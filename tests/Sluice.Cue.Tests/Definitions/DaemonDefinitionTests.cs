using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Definitions;

/// <summary>deploy/definitions/daemon.yaml, rendered for component "api" of application "shop".</summary>
public class DaemonDefinitionTests
{
    /// <summary>Every optional parameter absent: defaults apply and optional fields are left out.</summary>
    [Fact]
    public void Render_OnlyRequiredParameters_UsesDefaultsAndOmitsEveryOptionalField()
    {
        const string properties = """
            {"image":"nginx:1.27"}
            """;

        BuiltIn.ShouldRender(
            "daemon",
            properties,
            """
            {
              "apiVersion": "apps/v1",
              "kind": "DaemonSet",
              "metadata": {
                "labels": {
                  "app.oam.dev/component": "api"
                }
              },
              "spec": {
                "selector": {
                  "matchLabels": {
                    "app.oam.dev/component": "api"
                  }
                },
                "updateStrategy": {
                  "type": "RollingUpdate",
                  "rollingUpdate": {
                    "maxUnavailable": 1
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
                        "image": "nginx:1.27"
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
            {"image":"nginx:1.27","cmd":["run"],"args":["--x"],"cpu":"500m","memory":"256Mi","labels":{"team":"a"},"annotations":{"note":"n"},"env":[{"name":"A","value":"1"}],"port":9100,"maxUnavailable":"10%","nodeSelector":{"disk":"ssd"}}
            """;

        BuiltIn.ShouldRender(
            "daemon",
            properties,
            """
            {
              "apiVersion": "apps/v1",
              "kind": "DaemonSet",
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
                "selector": {
                  "matchLabels": {
                    "app.oam.dev/component": "api"
                  }
                },
                "updateStrategy": {
                  "type": "RollingUpdate",
                  "rollingUpdate": {
                    "maxUnavailable": "10%"
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
                          }
                        ],
                        "ports": [
                          {
                            "containerPort": 9100,
                            "protocol": "TCP"
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
                    ],
                    "nodeSelector": {
                      "disk": "ssd"
                    }
                  }
                }
              }
            }
            """,
            null);
    }
}
