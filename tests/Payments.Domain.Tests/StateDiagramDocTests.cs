using Payments.Domain.Orders;

namespace Payments.Domain.Tests;

public class StateDiagramDocTests
{
    /// <summary>docs/STATES.md shows the transition table to humans; it must be the table, not a copy that drifted.</summary>
    [Fact]
    public void Docs_state_diagram_is_the_transition_table()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Payments.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "STATES.md")).Replace("\r\n", "\n");
        Assert.Contains("```mermaid\n" + OrderTransitions.ToMermaid() + "\n```", doc);
    }
}
