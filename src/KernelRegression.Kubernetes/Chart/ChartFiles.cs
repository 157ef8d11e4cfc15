using System.Text.RegularExpressions;
using KernelRegression.Matrix;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>
/// A launch profile's extra files as singleuser.extraFiles: the chart puts each in its singleuser
/// Secret and mounts it read-only at its path (subPath = the key), with its mode.
/// </summary>
public static partial class ChartFiles
{
    public static Dictionary<string, object?> Of(LaunchProfile profile)
    {
        var files = new Dictionary<string, object?>();
        foreach (var (file, i) in profile.ExtraFiles.Select((f, i) => (f, i)))
        {
            if (!file.MountPath.StartsWith('/'))
            {
                throw new HarnessException($"launch profile {profile.Name}: extra file {i} has mount path '{file.MountPath}'", "give each extra file an absolute mount_path");
            }
            // A Secret key: [-._a-zA-Z0-9]+, from the file's name, numbered so two files of one name differ.
            var key = $"{i:00}-{NotKeyCharacters().Replace(Path.GetFileName(file.MountPath), "_")}";
            files[key] = new Dictionary<string, object?>
            {
                ["mountPath"] = file.MountPath,
                ["mode"] = file.Mode,
                ["stringData"] = file.Content,
            };
        }
        return files;
    }

    [GeneratedRegex("[^-._a-zA-Z0-9]")]
    private static partial Regex NotKeyCharacters();
}
