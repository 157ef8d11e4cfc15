namespace KernelRegression.Tests.Architecture;

/// <summary>The circles of a directed graph: its strongly connected parts of more than one node (Tarjan's algorithm), each sorted.</summary>
public static class Cycles
{
    public static IReadOnlyList<IReadOnlyList<string>> Of(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var nodes = next.Keys.Concat(next.Values.SelectMany(v => v)).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var found = new List<IReadOnlyList<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }
            if (low[v] != index[v])
            {
                return;
            }
            var part = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                part.Add(x);
            }
            while (x != v);
            if (part.Count > 1)
            {
                found.Add([.. part.Order(StringComparer.Ordinal)]);
            }
        }

        foreach (var n in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(n);
        }
        return found;
    }
}
