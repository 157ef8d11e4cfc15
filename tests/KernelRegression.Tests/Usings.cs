global using KernelRegression.Latency;
