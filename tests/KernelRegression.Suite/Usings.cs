global using FluentAssertions;
global using KernelRegression;
global using KernelRegression.Checks;
global using KernelRegression.Jupyter;
global using Xunit;
