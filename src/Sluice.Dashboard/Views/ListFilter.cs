using Microsoft.AspNetCore.Http;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>A list's filter from the query string: <c>ns</c>, <c>state</c> and <c>q</c> (words that must all appear).</summary>
internal sealed record ListFilter(string? Namespace, string? State, string? Search)
{
    public static ListFilter From(IQueryCollection query) => new(
        Value(query["ns"]), Value(query["state"]), Value(query["q"]));

    public bool Matches(string ns, string stateKind, params string?[] searched)
    {
        if (Namespace is not null && ns != Namespace)
        {
            return false;
        }

        if (State is not null && stateKind != State)
        {
            return false;
        }

        if (Search is null)
        {
            return true;
        }

        var haystack = string.Join(' ', searched.Append(ns)).ToLowerInvariant();
        return Search.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).All(haystack.Contains);
    }

    /// <summary>The filter form: a GET form, so that it works without the script; the script applies it as you type.</summary>
    public Html Form(string action, IReadOnlyList<string> namespaces, bool withState, string searchHint)
    {
        var nsOptions = namespaces.Select(n => Html.Of($"<option value=\"{n}\"{Selected(n == Namespace)}>{n}</option>"));
        var stateOptions = RolloutLook.Kinds.Select(k => Html.Of($"<option value=\"{k}\"{Selected(k == State)}>{k}</option>"));
        var state = withState
            ? Html.Of($"""
                <div class="field"><label for="filter-state">State</label>
                <select id="filter-state" name="state"><option value="">any</option>{stateOptions}</select></div>
                """)
            : Html.Empty;
        return Html.Of($"""
            <form class="filter" method="get" action="{action}" role="search" data-live-filter>
            <div class="field"><label for="filter-ns">Namespace</label>
            <select id="filter-ns" name="ns"><option value="">all</option>{nsOptions}</select></div>
            {state}
            <div class="field grow"><label for="filter-q">Search</label>
            <input id="filter-q" name="q" type="search" value="{Search ?? ""}" placeholder="{searchHint}" autocomplete="off"></div>
            <button type="submit">Filter</button>
            </form>
            """);
    }

    private static Html Selected(bool selected) => selected ? Html.Trusted(" selected") : Html.Empty;

    private static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
