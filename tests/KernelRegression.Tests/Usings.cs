global using FluentAssertions;
global using KernelRegression.Fixtures;
global using KernelRegression.Fixtures.Checks;
global using KernelRegression.Fixtures.Jupyter;
global using Xunit;
