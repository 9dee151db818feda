namespace Sluice.ControlPlane.Resources;

/// <summary>The built-in kinds the plane serves, with kube-apiserver's names, short names and categories.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        new("", "v1", "namespaces", "namespace", "Namespace", false, ["ns"], [], true, null),
        new("", "v1", "pods", "pod", "Pod", true, ["po"], ["all"], true, null),
        new("", "v1", "services", "service", "Service", true, ["svc"], ["all"], true, null),
        new("", "v1", "configmaps", "configmap", "ConfigMap", true, ["cm"], [], false, null),
        new("", "v1", "secrets", "secret", "Secret", true, [], [], false, null),
        new("", "v1", "events", "event", "Event", true, ["ev"], [], false, null),
        new("", "v1", "nodes", "node", "Node", false, ["no"], [], true, null),
        new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"], [], false, null),
        new("", "v1", "resourcequotas", "resourcequota", "ResourceQuota", true, ["quota"], [], true, null),
        new("", "v1", "endpoints", "endpoints", "Endpoints", true, ["ep"], [], false, null),
        new("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"], ["all"], true, ScaleSubresource.Standard),
        new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, ["rs"], ["all"], true, ScaleSubresource.Standard),
        new("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, ["sts"], ["all"], true, ScaleSubresource.Standard),
        new("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, ["ds"], ["all"], true, null),
        new("apps", "v1", "controllerrevisions", "controllerrevision", "ControllerRevision", true, [], [], false, null),
        new("batch", "v1", "jobs", "job", "Job", true, [], ["all"], true, null),
        new("batch", "v1", "cronjobs", "cronjob", "CronJob", true, ["cj"], ["all"], true, null),
        new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, ["pdb"], [], true, null),
        new("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, ["ing"], [], true, null),
        new("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false, ["pc"], [], false, null),
        new("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, [], [], false, null),
        new("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, [], [], false, null),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, [], [], false, null),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, [], [], false, null),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, [], [], false, null),
        new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, [], [], false, null),
        // The kinds KubeVela's definitions and traits produce (task, ingress, cpuscaler, pvc, ...).
        new("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, ["pvc"], [], true, null),
        new("networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", false, [], [], false, null),
        new("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, ["netpol"], [], false, null),
        new("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", true, ["hpa"], ["all"], true, null),
        new("authentication.k8s.io", "v1", "tokenreviews", "tokenreview", "TokenReview", false, [], [], false, null, Verbs: ["create"]),
        new("authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", false, [], [], false, null, Verbs: ["create"]),
        new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", false, [], [], false, null, Verbs: ["create"]),
        new("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview", false, [], [], false, null, Verbs: ["create"]),
        new("authorization.k8s.io", "v1", "subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", false, [], [], false, null, Verbs: ["create"]),
        new("authorization.k8s.io", "v1", "localsubjectaccessreviews", "localsubjectaccessreview", "LocalSubjectAccessReview", true, [], [], false, null, Verbs: ["create"]),
        new("events.k8s.io", "v1", "events", "event", "Event", true, ["ev"], [], false, null),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
            "CustomResourceDefinition", false, ["crd", "crds"], ["api-extensions"], true, null),
    ];

    public static GroupResource Namespaces { get; } = new("", "namespaces");

    public static GroupResource Crds { get; } = new("apiextensions.k8s.io", "customresourcedefinitions");

    public static GroupResource ServiceAccounts { get; } = new("", "serviceaccounts");

    public static GroupResource Pods { get; } = new("", "pods");

    public static GroupResource Secrets { get; } = new("", "secrets");

    public static GroupResource Roles { get; } = new("rbac.authorization.k8s.io", "roles");

    public static GroupResource RoleBindings { get; } = new("rbac.authorization.k8s.io", "rolebindings");

    public static GroupResource ClusterRoles { get; } = new("rbac.authorization.k8s.io", "clusterroles");

    public static GroupResource ClusterRoleBindings { get; } = new("rbac.authorization.k8s.io", "clusterrolebindings");
}
