global using KernelRegression.Suite.Fixtures;
global using KernelRegression.Suite.Support;
global using KernelRegression.Tiers.Docker;
