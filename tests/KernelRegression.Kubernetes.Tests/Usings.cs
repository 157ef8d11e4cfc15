global using KernelRegression.Kubernetes;
