using KernelRegression.Judging;

namespace KernelRegression.Deployments;

/// <summary>What running one commit's (or one set of files') values gave: the values and each cell's report.</summary>
public sealed record DeploymentRun(DeploymentValues Values, IReadOnlyList<CellReport> Cells, string Folder);
