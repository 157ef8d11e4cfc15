namespace KernelRegression.Kubernetes.Cluster;

/// <summary>KR_KEEP_CLUSTER=1 keeps a run's kind cluster for debugging (and says how to remove it).</summary>
public static class KeepCluster
{
    public static bool Requested => Settings.KeepCluster;
}
