using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Definitions;

/// <summary>deploy/definitions/statefulservice.yaml, rendered for component "api" of application "shop".</summary>
public class StatefulServiceDefinitionTests
{
    /// <summary>Every optional parameter absent: defaults apply and optional fields are left out.</summary>
    [Fact]
    public void Render_OnlyRequiredParameters_UsesDefaultsAndOmitsEveryOptionalField()
    {
        const string properties = """
            {"image":"nginx:1.27"}
            """;

        BuiltIn.ShouldRender(
            "statefulservice",
            properties,
            """
            {
              "apiVersion": "apps/v1",
              "kind": "StatefulSet",
              "metadata": {
                "labels": {
                  "app.oam.dev/component": "api"
                }
              },
              "spec": {
                "serviceName": "api",
                "replicas": 1,
                "podManagementPolicy": "OrderedReady",
                "updateStrategy": {
                  "type": "RollingUpdate"
                },
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
                            "name": "tcp",
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
                ["headless"] = """
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
                    "clusterIP": "None",
                    "selector": {
                      "app.oam.dev/component": "api"
                    },
                    "ports": [
                      {
                        "name": "tcp",
                        "port": 80,
                        "targetPort": 80
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
            {"image":"nginx:1.27","cmd":["run"],"args":["--x"],"cpu":"500m","memory":"256Mi","labels":{"team":"a"},"annotations":{"note":"n"},"env":[{"name":"A","value":"1"}],"port":5432,"replicas":3,"podManagementPolicy":"Parallel","updateStrategyType":"OnDelete","storage":{"size":"1Gi","mountPath":"/data","className":"fast"}}
            """;

        BuiltIn.ShouldRender(
            "statefulservice",
            properties,
            """
            {
              "apiVersion": "apps/v1",
              "kind": "StatefulSet",
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
                "serviceName": "api",
                "replicas": 3,
                "podManagementPolicy": "Parallel",
                "updateStrategy": {
                  "type": "OnDelete"
                },
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
                            "name": "tcp",
                            "containerPort": 5432,
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
                            "value": "1"
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
                        },
                        "volumeMounts": [
                          {
                            "name": "data",
                            "mountPath": "/data"
                          }
                        ]
                      }
                    ]
                  }
                },
                "volumeClaimTemplates": [
                  {
                    "metadata": {
                      "name": "data"
                    },
                    "spec": {
                      "accessModes": [
                        "ReadWriteOnce"
                      ],
                      "resources": {
                        "requests": {
                          "storage": "1Gi"
                        }
                      },
                      "storageClassName": "fast"
                    }
                  }
                ]
              }
            }
            """,
            new Dictionary<string, string>
            {
                ["headless"] = """
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
                    "clusterIP": "None",
                    "selector": {
                      "app.oam.dev/component": "api"
                    },
                    "ports": [
                      {
                        "name": "tcp",
                        "port": 5432,
                        "targetPort": 5432
                      }
                    ]
                  }
                }
                """,
            });
    }
}
