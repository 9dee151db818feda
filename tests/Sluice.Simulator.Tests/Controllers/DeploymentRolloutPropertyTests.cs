using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Xunit;
using Sluice.Simulator;
using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Tests.Controllers;

/// <summary>
/// The Deployment and ReplicaSet controllers run against each other in a random interleaving (either controller,
/// or a pod becoming ready, at each step), for random sizes and fenceposts: a rollout never has more than
/// replicas + maxSurge pods nor fewer than replicas - maxUnavailable ready ones, and it completes.
/// </summary>
public sealed class DeploymentRolloutPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 150)]
    public void Rollout_AnyInterleaving_StaysWithinFencepostsAndCompletes(PositiveInt size, byte surgePercent, byte unavailablePercent, int seed)
    {
        var replicas = 1 + (size.Get % 20);
        var surge = $"{surgePercent % 101}%";
        var unavailable = $"{unavailablePercent % 101}%";
        var cluster = new MiniCluster(replicas, surge, unavailable, new Random(seed));
        var (maxSurge, maxUnavailable) = DeploymentLogic.Fenceposts(cluster.Deployment, replicas);

        cluster.RunUntilSettled(10_000);
        cluster.SetImage("nginx:2");
        var steps = cluster.RunUntilSettled(20_000, check: () =>
        {
            cluster.Pods.Count.ShouldBeLessThanOrEqualTo(replicas + maxSurge, $"replicas {replicas}, surge {surge}");
            cluster.Pods.Count(Pods.IsReady).ShouldBeGreaterThanOrEqualTo(replicas - maxUnavailable, $"replicas {replicas}, unavailable {unavailable}");
        });

        steps.ShouldBeLessThan(20_000, "the rollout completes");
        cluster.Pods.ShouldAllBe(p => Json.Str(p, "spec", "containers", "0", "image") == "nginx:2");
    }

    private sealed class MiniCluster
    {
        private readonly Random _random;
        private readonly List<JsonObject> _sets = [];
        private readonly Dictionary<string, List<JsonObject>> _podsBySet = [];
        private DateTimeOffset _now = T0;
        private int _next;

        public MiniCluster(int replicas, string surge, string unavailable, Random random)
        {
            _random = random;
            Deployment = JsonNode.Parse($$$$$"""
                {"metadata":{"name":"web","namespace":"default","uid":"d","generation":1},
                 "spec":{"replicas":{{{{{replicas}}}}},"selector":{"matchLabels":{"app":"web"}},
                  "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"{{{{{surge}}}}}","maxUnavailable":"{{{{{unavailable}}}}}"}},
                  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}}}
                """)!.AsObject();
        }

        public JsonObject Deployment { get; }

        public List<JsonObject> Pods => [.. _podsBySet.Values.SelectMany(p => p)];

        public void SetImage(string image)
        {
            Deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
            Deployment["metadata"]!["generation"] = Json.Generation(Deployment) + 1;
        }

        /// <summary>Random steps until the Deployment reports complete; returns how many were taken.</summary>
        public int RunUntilSettled(int limit, Action? check = null)
        {
            for (var step = 0; step < limit; step++)
            {
                if (Complete())
                {
                    return step;
                }
                switch (_random.Next(3))
                {
                    case 0:
                        ReconcileDeployment();
                        break;
                    case 1 when _sets.Count > 0:
                        ReconcileReplicaSet(_sets[_random.Next(_sets.Count)]);
                        break;
                    default:
                        ReadyOnePod();
                        break;
                }
                _now = _now.AddSeconds(1);
                check?.Invoke();
            }
            return limit;
        }

        private bool Complete()
        {
            var status = Deployment["status"];
            var replicas = Json.Int(Deployment, 1, "spec", "replicas");
            return Json.Long(status, "observedGeneration") == Json.Generation(Deployment)
                && Json.Int(status, -1, "updatedReplicas") == replicas
                && Json.Int(status, -1, "availableReplicas") == replicas
                && Json.Int(status, -1, "replicas") == replicas
                && Pods.Count == replicas;
        }

        private void ReconcileDeployment()
        {
            var plan = DeploymentLogic.Plan(Deployment, _sets, _now);
            if (plan.CreateReplicaSet is { } created)
            {
                created["metadata"]!["uid"] = $"rs{_next++}";
                created["metadata"]!["creationTimestamp"] = Json.Timestamp(_now);
                _sets.Add(created);
                _podsBySet[Json.Uid(created)] = [];
            }
            foreach (var update in plan.UpdateReplicaSets)
            {
                var current = _sets.Single(s => Json.Name(s) == Json.Name(update));
                current["spec"] = update["spec"]!.DeepClone();
                current["metadata"] = update["metadata"]!.DeepClone();
            }
            foreach (var gone in plan.DeleteReplicaSets)
            {
                _sets.RemoveAll(s => Json.Name(s) == Json.Name(gone));
            }
            Deployment["status"] = plan.Status;
        }

        private void ReconcileReplicaSet(JsonObject rs)
        {
            var pods = _podsBySet[Json.Uid(rs)];
            var plan = ReplicaSetLogic.Plan(rs, pods, _now);
            foreach (var pod in plan.Create)
            {
                pod["metadata"]!["name"] = Json.Str(pod, "metadata", "generateName") + _next.ToString(CultureInfo.InvariantCulture);
                pod["metadata"]!["uid"] = $"p{_next++}";
                pod["metadata"]!["creationTimestamp"] = Json.Timestamp(_now);
                pod["spec"]!["nodeName"] = "n";
                pods.Add(pod);
            }
            foreach (var pod in plan.Delete)
            {
                pods.RemoveAll(p => Json.Uid(p) == Json.Uid(pod));
            }
            rs["status"] = plan.Status;
        }

        private void ReadyOnePod()
        {
            var waiting = Pods.Where(p => !Simulator.Pods.IsReady(p)).ToList();
            if (waiting.Count == 0)
            {
                return;
            }
            waiting[_random.Next(waiting.Count)]["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = Json.Timestamp(_now),
                }),
            };
        }
    }
}
