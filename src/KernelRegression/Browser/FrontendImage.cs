using KernelRegression.Matrix;
using KernelRegression.Tiers.Docker;

namespace KernelRegression.Browser;

/// <summary>
/// Single-user images with another front end (fixtures/images/singleuser, build arg FRONTEND):
/// notebook7 (sid: Debian's Notebook 7 extension enabled, which the package leaves off), lab (JupyterLab
/// at /lab: trixie; sid has it already) and broken (the classic notebook page's script removed). The package layers are shared with the image the spec names; only the last layer differs.
/// </summary>
public static class FrontendImage
{
    public static readonly string[] Frontends = ["as-installed", "notebook7", "lab", "broken"];

    public static ImageRecipe Recipe(ImageSpec image, string frontend)
    {
        if (!Frontends.Contains(frontend))
        {
            throw new HarnessException($"unknown front end '{frontend}'", $"use one of: {string.Join(", ", Frontends)}");
        }
        if (!image.IsBuilt)
        {
            throw new HarnessException($"image {image.Name} is brought ({image.Ref}), not built here: its front end cannot be changed",
                "give a front-end variant only to images built from fixtures/images/singleuser (suite: …)");
        }
        var recipe = ImageRecipe.SingleUser(image);
        return frontend == "as-installed" ? recipe : recipe with
        {
            Variant = $"{recipe.Variant}-frontend-{frontend}",
            Args = new Dictionary<string, string>(recipe.Args) { ["FRONTEND"] = frontend },
        };
    }

    /// <summary>The image's tag, built if needed.</summary>
    public static Task<string> EnsureAsync(ImageStore store, ImageSpec image, string frontend, CancellationToken ct) =>
        store.RecipeAsync(Recipe(image, frontend), ct);
}
