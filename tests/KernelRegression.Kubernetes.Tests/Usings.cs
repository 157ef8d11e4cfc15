global using FluentAssertions;
global using KernelRegression;
global using KernelRegression.Kubernetes;
global using Xunit;
global using KernelRegression.Logs;
