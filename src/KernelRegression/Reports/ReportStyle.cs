namespace KernelRegression.Reports;

/// <summary>
/// The HTML report's inline stylesheet. Outcome colours are the classes the grid cells carry
/// (passed, failed, failed-other-cause, expected-failure, unexpected-pass, harness-error, skipped), so the browser test can check
/// both the class and the colour it renders to.
/// </summary>
public static class ReportStyle
{
    public const string FailedBackground = "#f8d0cc";

    public const string Css = """
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; font-size: 14px; }
        body { margin: 24px 32px; max-width: 1400px; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12.5px; }
        .muted { color: #656d76; }
        .meta span { margin-right: 18px; }
        .counts { margin: 10px 0 0; }
        .badge { display: inline-block; padding: 2px 10px; border-radius: 12px; margin-right: 6px; font-weight: 600; border: 1px solid transparent; }
        table { border-collapse: collapse; }
        th, td { border: 1px solid #d0d7de; padding: 6px 8px; vertical-align: top; text-align: left; }
        th { background: #f6f8fa; font-weight: 600; }
        table.grid td.cell { width: 190px; }
        table.grid td.empty { background: repeating-linear-gradient(45deg, #fafbfc, #fafbfc 6px, #f0f2f4 6px, #f0f2f4 12px); }
        td.cell a { font-weight: 600; color: inherit; }
        td.cell .cause { display: block; font-size: 12px; margin-top: 3px; overflow-wrap: anywhere; }
        .passed { background: #d7f0dc; color: #14532d; }
        .failed { background: #f8d0cc; color: #7f1d1d; border: 2px solid #cf222e !important; }
        .expected-failure { background: #fff0c2; color: #6b4e00; }
        .unexpected-pass { background: #ead8f5; color: #4c1d95; border: 2px solid #8250df !important; }
        .failed-other-cause { background: #f8d0cc; color: #7f1d1d; border: 2px dashed #cf222e !important; }
        .harness-error { background: #dde3ea; color: #24292f; border: 2px dashed #57606a !important; }
        .skipped { background: #eaeef2; color: #57606a; }
        .card { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 6px; padding: 8px 14px 12px; margin: 12px 0; }
        .card.failed, .card.failed-other-cause, .card.harness-error, .card.unexpected-pass { background: #fff; border-left-color: #cf222e; color: inherit; border-width: 1px 1px 1px 6px !important; }
        .card.unexpected-pass { border-left-color: #8250df; }
        .card.expected-failure { background: #fff; border-left-color: #bf8700; color: inherit; }
        .card.harness-error { border-left-color: #57606a; }
        .card .cause { font-weight: 600; overflow-wrap: anywhere; }
        .card .why { margin-top: 4px; overflow-wrap: anywhere; }
        .screenshots { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
        .screenshots figure { margin: 0; } .screenshots img { width: 280px; border: 1px solid #d0d7de; }
        .screenshots figcaption { font-size: 12px; color: #656d76; }
        table.diagnosis td { font-size: 13px; }
        table.diagnosis td.value { max-width: 360px; overflow-wrap: anywhere; }
        table.checks td { text-align: center; } table.checks td:first-child { text-align: left; }
        svg.timings text { font-size: 12px; fill: #1f2328; font-family: system-ui, sans-serif; }
        svg.timings rect.bar { fill: #54aeff; } svg.timings line.max { stroke: #0969da; stroke-width: 2; }
        ul.files { margin: 4px 0; padding-left: 18px; } ul.files li { display: inline; margin-right: 12px; }
        details summary { cursor: pointer; color: #0969da; margin: 6px 0; }
        """;
}
