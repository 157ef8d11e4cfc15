global using FluentAssertions;
global using KernelRegression.Fixtures;
global using Xunit;
