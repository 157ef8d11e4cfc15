global using FluentAssertions;
global using KernelRegression;
global using Xunit;
