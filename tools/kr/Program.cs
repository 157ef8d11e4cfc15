using KernelRegression.Cli;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("kr");
    config.AddCommand<RunCommand>("run")
        .WithDescription("Stand a deployment up (or connect to one), run the kernel checks, write the reports. Exit 0 only if every cell met its expected outcome.")
        .WithExample("run")
        .WithExample("run", "--tier", "process", "--alive-window", "30")
        .WithExample("run", "--tier", "docker", "--cells", "docker/hub-sid/*")
        .WithExample("run", "--tier", "existing", "--hub-url", "https://hub.example.org/");
    config.AddCommand<PlanCommand>("plan")
        .WithDescription("Print exactly what a run of a Kubernetes cell would do, step by step, without doing it.")
        .WithExample("plan", "kind/hub-z2jh-4/img-sid/profile-default");
    config.AddCommand<CellsCommand>("cells")
        .WithDescription("List the matrix's default cells and their expected outcomes.")
        .WithExample("cells", "--cells", "*/img-bookworm-pre-pr233/*");
});
return await app.RunAsync(args);
