global using KernelRegression;
