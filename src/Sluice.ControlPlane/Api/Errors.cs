using Sluice.ControlPlane.Auth;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Api;

/// <summary>The Status errors kube-apiserver returns, with its exact reasons and message shapes.</summary>
public static class Errors
{
    public static ApiException NotFound(GroupResource resource, string name) => new(new ApiStatus(
        404, "NotFound", $"{resource} \"{name}\" not found", name, NullIfEmpty(resource.Group), resource.Resource));

    public static ApiException NotFoundPath(string message) => new(new ApiStatus(404, "NotFound", message));

    public static ApiException AlreadyExists(GroupResource resource, string name) => new(new ApiStatus(
        409, "AlreadyExists", $"{resource} \"{name}\" already exists", name, NullIfEmpty(resource.Group), resource.Resource));

    public static ApiException Conflict(GroupResource resource, string name, string why) => new(new ApiStatus(
        409, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": {why}",
        name, NullIfEmpty(resource.Group), resource.Resource));

    public static ApiException Modified(GroupResource resource, string name) =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<StatusCause> causes)
    {
        var qualified = group.Length == 0 ? kind : $"{kind}.{group}";
        var list = causes.Select(c => c.Field.Length == 0 ? c.Message : $"{c.Field}: {c.Message}").ToList();
        var joined = list.Count == 1 ? list[0] : $"[{string.Join(", ", list)}]";
        return new(new ApiStatus(422, "Invalid", $"{qualified} \"{name}\" is invalid: {joined}",
            name, NullIfEmpty(group), kind, causes));
    }

    public static ApiException BadRequest(string message) => new(new ApiStatus(400, "BadRequest", message));

    public static ApiException Gone(string message) => new(new ApiStatus(410, "Expired", message));

    public static ApiException MethodNotSupported(GroupResource resource, string verb) => new(new ApiStatus(
        405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{resource}\"",
        Group: NullIfEmpty(resource.Group), Kind: resource.Resource));

    public static ApiException UnsupportedMediaType(string contentType) => new(new ApiStatus(
        415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml; got {contentType}"));

    public static ApiException Forbidden(GroupResource resource, string name, string why) => new(new ApiStatus(
        403, "Forbidden", $"{resource} \"{name}\" is forbidden: {why}", name, NullIfEmpty(resource.Group), resource.Resource));

    /// <summary>403 as kube-apiserver words it: <c>configmaps "x" is forbidden: User "u" cannot get resource "configmaps" in API group "" in the namespace "ns"</c>.</summary>
    public static ApiException Forbidden(UserInfo user, RequestAttributes request)
    {
        if (!request.IsResourceRequest)
        {
            return new(new ApiStatus(403, "Forbidden", $"forbidden: User \"{user.Name}\" cannot {request.Verb} path \"{request.Path}\""));
        }
        var scope = request.Namespace.Length == 0 ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        var why = $"User \"{user.Name}\" cannot {request.Verb} resource \"{request.QualifiedResource}\" in API group \"{request.Group}\" {scope}";
        var qualified = new GroupResource(request.Group, request.Resource).ToString();
        var message = request.Name.Length == 0 ? $"{qualified} is forbidden: {why}" : $"{qualified} \"{request.Name}\" is forbidden: {why}";
        return new(new ApiStatus(403, "Forbidden", message, request.Name.Length == 0 ? null : request.Name, NullIfEmpty(request.Group), request.Resource));
    }

    public static ApiStatus Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiStatus TooLarge(long limit) => new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}");

    public static ApiStatus Internal(string message) => new(500, "InternalError", $"Internal error occurred: {message}");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
