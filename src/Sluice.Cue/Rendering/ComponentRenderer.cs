using System.Text.Json.Nodes;
using Sluice.Cue.Evaluation;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Rendering;

/// <summary>
/// Renders a component as KubeVela does: its ComponentDefinition's template with the component's properties as
/// <c>parameter</c> gives <c>output</c> (the workload) and <c>outputs</c> (extra resources); then each trait's template,
/// in order, sees the workload so far as <c>context.output</c> and the resources so far as <c>context.outputs</c>, adds
/// its own <c>outputs</c>, and its <c>patch</c> is merged into the workload (<see cref="TreePatcher"/>). Only at the end
/// is everything made concrete JSON.
/// </summary>
public static class ComponentRenderer
{
    /// <summary>Renders a component without traits (see the other overload).</summary>
    public static CueResult<RenderedComponent> Render(
        string definitionName,
        string template,
        JsonObject? properties,
        RenderContext context,
        int maxSteps = Evaluator.DefaultMaxSteps) =>
        Render(new DefinitionTemplate(definitionName, template, properties), [], context, CuePackages.None, maxSteps);

    /// <summary>
    /// Renders <paramref name="component"/> and applies <paramref name="traits"/> in order. Never throws for bad input:
    /// every failure is a <see cref="CueError"/> naming the definition or trait, and where it applies the parameter
    /// or field and the value.
    /// </summary>
    public static CueResult<RenderedComponent> Render(
        DefinitionTemplate component,
        IReadOnlyList<DefinitionTemplate> traits,
        RenderContext context,
        CuePackages? packages = null,
        int maxSteps = Evaluator.DefaultMaxSteps)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(traits);
        ArgumentNullException.ThrowIfNull(context);
        packages ??= CuePackages.None;
        var componentErrors = new ErrorFactory(component.Name);
        try
        {
            var evaluated = TemplateEvaluation.Run(componentErrors, component.Name, component.Template, component.Properties,
                JsonSyntax.ToExpr(context.ToJson()), packages, maxSteps);
            if (!evaluated.IsSuccess)
            {
                return CueResult<RenderedComponent>.Fail(evaluated.Error!);
            }
            var root = evaluated.Value;
            if (root.Field("output") is not { } outputVertex)
            {
                return CueResult<RenderedComponent>.Fail(componentErrors.Simple(CueErrorKind.Evaluation, "the template has no output"));
            }
            var workload = Tree.From(root.Evaluator, outputVertex, out var failure);
            if (workload is not TreeStruct)
            {
                return CueResult<RenderedComponent>.Fail(failure is { } f
                    ? componentErrors.FromBottom(f.Path, f.Bottom)
                    : componentErrors.Simple(CueErrorKind.Evaluation, "output must be a struct"));
            }
            var componentOutputs = Outputs(root, componentErrors, out var outputsError);
            if (componentOutputs is null)
            {
                return CueResult<RenderedComponent>.Fail(outputsError!);
            }

            var resources = componentOutputs.Select(o => (Trait: (string?)null, o.Name, o.Tree)).ToList();
            foreach (var trait in traits)
            {
                var traitErrors = new ErrorFactory(trait.Name, "trait");
                var traitContext = TraitContext(context, workload, resources);
                var traitRun = TemplateEvaluation.Run(traitErrors, trait.Name, trait.Template, trait.Properties, traitContext, packages, maxSteps);
                if (!traitRun.IsSuccess)
                {
                    return CueResult<RenderedComponent>.Fail(traitRun.Error!);
                }
                var traitOutputs = Outputs(traitRun.Value, traitErrors, out outputsError);
                if (traitOutputs is null)
                {
                    return CueResult<RenderedComponent>.Fail(outputsError!);
                }
                resources.AddRange(traitOutputs.Select(o => ((string?)trait.Name, o.Name, o.Tree)));
                if (traitRun.Value.Field("patch") is { } patchVertex)
                {
                    var patch = Tree.From(traitRun.Value.Evaluator, patchVertex, out failure);
                    if (patch is null)
                    {
                        return CueResult<RenderedComponent>.Fail(traitErrors.FromBottom(failure!.Value.Path, failure.Value.Bottom));
                    }
                    if (patch is TreeStruct patchStruct && patchStruct.Field("context") is not null)
                    {
                        return CueResult<RenderedComponent>.Fail(traitErrors.Simple(CueErrorKind.Evaluation,
                            "patch.context (patching another output of the component) is not supported by Sluice"));
                    }
                    workload = TreePatcher.Patch(workload, patch, out var conflict);
                    if (workload is null)
                    {
                        return CueResult<RenderedComponent>.Fail(new CueError(CueErrorKind.Conflict,
                            traitErrors.Simple(CueErrorKind.Conflict, $"patch {conflict!.Path}: {conflict.Message}").Message, "patch." + conflict.Path));
                    }
                }
            }

            if (workload.ToJson("output", out failure) is not JsonObject output)
            {
                return CueResult<RenderedComponent>.Fail(componentErrors.FromBottom(failure!.Value.Path, failure.Value.Bottom));
            }
            var outputs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            var traitResources = new List<RenderedTraitOutput>();
            foreach (var (traitName, name, tree) in resources)
            {
                var errors = traitName is null ? componentErrors : new ErrorFactory(traitName, "trait");
                if (tree.ToJson($"outputs.{name}", out failure) is not JsonObject resource)
                {
                    return CueResult<RenderedComponent>.Fail(failure is { } f
                        ? errors.FromBottom(f.Path, f.Bottom)
                        : errors.Simple(CueErrorKind.Evaluation, $"outputs.{name} must be a struct"));
                }
                if (traitName is null)
                {
                    outputs[name] = resource;
                }
                else
                {
                    traitResources.Add(new RenderedTraitOutput(traitName, name, resource));
                }
            }
            return CueResult<RenderedComponent>.Ok(new RenderedComponent(output, outputs) { TraitOutputs = traitResources });
        }
        catch (EvalLimitException e)
        {
            return CueResult<RenderedComponent>.Fail(new CueError(CueErrorKind.Limit, $"definition \"{component.Name}\": {e.Message}"));
        }
    }

    /// <summary>The template's <c>outputs</c>, each a struct; an empty list when it has none.</summary>
    private static List<(string Name, Tree Tree)>? Outputs(TemplateEvaluation evaluation, ErrorFactory errors, out CueError? error)
    {
        error = null;
        var result = new List<(string, Tree)>();
        if (evaluation.Field("outputs") is not { } outputsVertex)
        {
            return result;
        }
        var value = evaluation.Evaluator.Evaluate(outputsVertex);
        if (value is BottomValue bottom)
        {
            error = errors.FromBottom(outputsVertex.Path, bottom);
            return null;
        }
        if (value is not StructValue)
        {
            error = errors.Simple(CueErrorKind.Evaluation, "outputs must be a struct of resources");
            return null;
        }
        foreach (var arc in outputsVertex.Arcs.ToList())
        {
            if (arc.IsOptional || arc.IsHidden)
            {
                continue;
            }
            var tree = Tree.From(evaluation.Evaluator, arc, out var failure);
            if (tree is not TreeStruct)
            {
                error = failure is { } f ? errors.FromBottom(f.Path, f.Bottom) : errors.Simple(CueErrorKind.Evaluation, $"outputs.{arc.Label} must be a struct");
                return null;
            }
            result.Add((arc.Label, tree));
        }
        return result;
    }

    /// <summary>The component's context plus <c>output</c> (the workload so far) and <c>outputs</c> (the resources so far, by name).</summary>
    private static Expr TraitContext(RenderContext context, Tree workload, List<(string? Trait, string Name, Tree Tree)> resources)
    {
        var basic = (StructLit)JsonSyntax.ToExpr(context.ToJson());
        var position = new SourcePosition(0, 0);
        var byName = new List<(string Name, Tree Tree)>();
        foreach (var (_, name, tree) in resources)
        {
            byName.RemoveAll(r => r.Name == name);
            byName.Add((name, tree));
        }
        var decls = basic.Decls.Where(d => d is not Field { Label: "output" or "outputs" }).ToList();
        decls.Add(new Field(position, "output", false, false, workload.ToExpr(), []));
        if (byName.Count > 0)
        {
            decls.Add(new Field(position, "outputs", false, false, new TreeStruct([.. byName.Select(r => new TreeField(r.Name, r.Tree, PatchTags.None))]).ToExpr(), []));
        }
        return new StructLit(position, decls);
    }
}
