// The engine's namespaces every test project uses (linked into each), so a test file names only what is its own.
global using FluentAssertions;
global using Xunit;
global using KernelRegression;
global using KernelRegression.Cells;
global using KernelRegression.Checks;
global using KernelRegression.Deployments;
global using KernelRegression.Evidence;
global using KernelRegression.Host;
global using KernelRegression.Judging;
global using KernelRegression.Jupyter;
global using KernelRegression.Logs;
global using KernelRegression.Matrix;
global using KernelRegression.Reports;
global using KernelRegression.Runs;
global using KernelRegression.Students;
global using KernelRegression.Tiers;
global using KernelRegression.Tests.Support;
