using System.Text.Json.Nodes;

namespace Sluice.Core.Analysis;

/// <summary>The condition language's evaluator, as a port (CEL over <c>result</c> in Sluice.Controllers).</summary>
public interface IConditionEvaluator
{
    /// <summary>The expression's value over <paramref name="result"/>; throws <see cref="ConditionException"/> when it cannot be evaluated or is not a boolean.</summary>
    bool Evaluate(string expression, JsonNode? result);
}
