using Mono.Cecil;
using Mono.Cecil.Cil;

namespace KernelRegression.Tests.Architecture;

/// <summary>One namespace's use of another, and the types that make it ("RepeatTally→CellReport").</summary>
public sealed record NamespaceEdge(string From, string To, IReadOnlyList<string> Types)
{
    public override string ToString() => $"{From} → {To} ({string.Join(", ", Types.Take(6))}{(Types.Count > 6 ? $", +{Types.Count - 6} more" : "")})";
}

/// <summary>
/// Which namespace of the project uses which, read from the compiled assemblies' IL (Mono.Cecil): base
/// types, interfaces, attributes, fields, properties, signatures, locals, and every type, method and field
/// an instruction names, so a fully qualified name counts as much as a using line. A nested or
/// compiler-generated type (a lambda's closure, an async state machine) counts as its declaring type.
/// </summary>
public sealed class NamespaceGraph
{
    private const string Project = "KernelRegression";
    private readonly Dictionary<(string From, string To), SortedSet<string>> _edges = [];
    private readonly HashSet<string> _namespaces = [];

    private NamespaceGraph()
    {
    }

    /// <summary>Every namespace of the project that declares a type.</summary>
    public IReadOnlyCollection<string> Namespaces => _namespaces;

    public IReadOnlyList<NamespaceEdge> Edges =>
        [.. _edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .Select(e => new NamespaceEdge(e.Key.From, e.Key.To, [.. e.Value]))];

    /// <summary>Every method of the project's types with what its body calls, for rules about calls (who writes files, who reads the environment).</summary>
    public IReadOnlyList<(TypeDefinition Type, MethodReference Called)> Calls { get; private set; } = [];

    /// <summary>Every string constant an instruction loads, with the type whose code loads it.</summary>
    public IReadOnlyList<(TypeDefinition Type, string Text)> Strings { get; private set; } = [];

    public static NamespaceGraph Read(IEnumerable<string> assemblies)
    {
        var graph = new NamespaceGraph();
        var calls = new List<(TypeDefinition, MethodReference)>();
        var strings = new List<(TypeDefinition, string)>();
        foreach (var path in assemblies)
        {
            using var module = ModuleDefinition.ReadModule(path);
            foreach (var type in module.GetTypes())
            {
                var owner = Outermost(type);
                if (Namespace(owner) is not { } from)
                {
                    continue;
                }
                if (!owner.Name.StartsWith('<'))
                {
                    graph._namespaces.Add(from);
                }
                graph.Read(owner, type, calls, strings);
            }
        }
        graph.Calls = calls;
        graph.Strings = strings;
        return graph;
    }

    private void Read(TypeDefinition owner, TypeDefinition type, List<(TypeDefinition, MethodReference)> calls, List<(TypeDefinition, string)> strings)
    {
        Use(owner, type.BaseType);
        Attributes(owner, type);
        // Each member's declared type (a method's return type) and its attributes, then a method's parameters and body.
        var members = type.Interfaces.Select(i => (i.InterfaceType, (ICustomAttributeProvider?)null))
            .Concat(type.Fields.Select(f => (f.FieldType, (ICustomAttributeProvider?)f)))
            .Concat(type.Properties.Select(p => (p.PropertyType, (ICustomAttributeProvider?)p)))
            .Concat(type.Methods.Select(m => (m.ReturnType, (ICustomAttributeProvider?)m)));
        foreach (var (declared, provider) in members)
        {
            Use(owner, declared);
            if (provider is not null)
            {
                Attributes(owner, provider);
            }
        }
        foreach (var m in type.Methods)
        {
            m.Parameters.ToList().ForEach(p => Use(owner, p.ParameterType));
            if (!m.HasBody)
            {
                continue;
            }
            foreach (var v in m.Body.Variables)
            {
                Use(owner, v.VariableType);
            }
            foreach (var instruction in m.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Use(owner, t);
                        break;
                    case MethodReference called:
                        Use(owner, called.DeclaringType);
                        Use(owner, called.ReturnType);
                        if (called is GenericInstanceMethod g)
                        {
                            g.GenericArguments.ToList().ForEach(a => Use(owner, a));
                        }
                        calls.Add((owner, called));
                        break;
                    case FieldReference field:
                        Use(owner, field.DeclaringType);
                        Use(owner, field.FieldType);
                        break;
                    case string text when instruction.OpCode == OpCodes.Ldstr:
                        strings.Add((owner, text));
                        break;
                }
            }
        }
    }

    private void Attributes(TypeDefinition owner, ICustomAttributeProvider provider)
    {
        foreach (var a in provider.CustomAttributes)
        {
            Use(owner, a.AttributeType);
        }
    }

    private void Use(TypeDefinition owner, TypeReference? used)
    {
        switch (used)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                foreach (var argument in generic.GenericArguments)
                {
                    Use(owner, argument);
                }
                Use(owner, generic.ElementType);
                return;
            case TypeSpecification spec: // arrays, by-ref, pointers
                Use(owner, spec.ElementType);
                return;
        }
        var target = used!;
        while (target.DeclaringType is not null)
        {
            target = target.DeclaringType;
        }
        if (Namespace(owner) is not { } from || Namespace(target) is not { } to || from == to)
        {
            return;
        }
        if (!_edges.TryGetValue((from, to), out var types))
        {
            _edges[(from, to)] = types = new SortedSet<string>(StringComparer.Ordinal);
        }
        types.Add($"{owner.Name}→{target.Name}");
    }

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type;
    }

    /// <summary>The project's namespace of a type; null for a type of the framework, a package or the compiler's own (regex generators, &lt;Module&gt;).</summary>
    public static string? Namespace(TypeReference type) =>
        type.Namespace == Project || type.Namespace.StartsWith(Project + ".", StringComparison.Ordinal) ? type.Namespace : null;
}
