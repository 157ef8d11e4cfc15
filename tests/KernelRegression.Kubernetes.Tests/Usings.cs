global using FluentAssertions;
global using KernelRegression.Fixtures;
global using KernelRegression.Kubernetes;
global using Xunit;
