namespace KernelRegression.Tests.Deployments;

/// <summary>Values from YAML text in a test: each text is one file (a.yaml, b.yaml, …), merged in order.</summary>
internal static class Values
{
    public static DeploymentValues Of(params string[] files) => With(new ValuesOptions(), files);

    public static DeploymentValues With(ValuesOptions options, params string[] files) =>
        DeploymentValues.Parse(files.Select((text, i) => new ValuesSource($"{(char)('a' + i)}.yaml", text)).ToList(), options);

    /// <summary>The error reading the values ends in: it must be a <see cref="ValuesException"/>.</summary>
    public static ValuesException Refusal(Func<DeploymentValues> read) => read.Should().Throw<ValuesException>().Which;

    /// <summary>The only cell (values without a profileList).</summary>
    public static ValuesCell Cell(params string[] files) => Of(files).Cells.Should().ContainSingle().Subject;

    public static ValuesCell Cell(ValuesOptions options, params string[] files) => With(options, files).Cells.Should().ContainSingle().Subject;

    public static string Sample(string file) => FixturePaths.Of("deployments", "sample", file);

    /// <summary>The suite images the sample runs on (README, docs/deployment-ci.md).</summary>
    public static readonly string[] SampleImageMap =
    [
        "example.org/course/notebook:*=bookworm-pre-pr233",
        "example.org/course/notebook-next:*=bookworm",
    ];

    public static ValuesOptions SampleOptions => new()
    {
        Images = ImageMap.Parse(SampleImageMap),
        VolumeFiles = ValuesOptions.ParseVolumeFiles([$"course-data={Sample("course-data")}"]),
    };
}
