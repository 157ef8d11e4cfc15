global using FluentAssertions;
global using KernelRegression;
global using KernelRegression.Checks;
global using KernelRegression.Jupyter;
global using Xunit;
global using KernelRegression.Suite.Fixtures;
