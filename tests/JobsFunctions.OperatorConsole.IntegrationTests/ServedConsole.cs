using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;
using Microsoft.Playwright;

namespace JobsFunctions.OperatorConsole.IntegrationTests;

/// <summary>
/// One local stack for every browser test: <c>serve</c> in this process with a 200-device rollout (moto, the emulator,
/// the published bootstrap, the console it starts), and one headless chromium: Debian's, named by CONSOLE_BROWSER
/// (default /usr/bin/chromium), so Playwright downloads no browser.
/// </summary>
public sealed class ServedConsole : IAsyncLifetime
{
    private readonly MotoServer _moto = new();
    private readonly PublishedBootstrap _bootstrap = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SharedConsole _printed = new();
    private Task<int>? _serving;

    public Uri Console { get; private set; } = null!;

    public Uri Api { get; private set; } = null!;

    public Uri Emulator { get; private set; } = null!;

    public string RolloutJobId { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient ApiClient { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await _moto.InitializeAsync();
        await _bootstrap.InitializeAsync();
        _serving = LocalCli.RunAsync(
            ["serve", "--devices", "200", "--region", "us-east-1", "--emulator-port", "0", "--console-port", "0", "--port", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
                "--dynamo-endpoint", _moto.Endpoint.ToString(), "--bootstrap", _bootstrap.Path],
            _printed, _printed, _stop.Token);
        var deadline = Stopwatch.StartNew();
        while (!_printed.ToString().Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
        {
            if (_serving.IsCompleted || deadline.Elapsed > TimeSpan.FromMinutes(4))
            {
                throw new InvalidOperationException($"serve did not come up:{Environment.NewLine}{_printed}");
            }

            await Task.Delay(200);
        }

        var printed = _printed.ToString();
        Console = new Uri(Regex.Match(printed, @"Operator console:\s+(http://127\.0\.0\.1:[0-9]+/)").Groups[1].Value);
        Api = new Uri(Regex.Match(printed, @"Operator API:\s+(http://127\.0\.0\.1:[0-9]+/)").Groups[1].Value);
        Emulator = new Uri(Regex.Match(printed, @"IoT Jobs emulator:\s+(http://127\.0\.0\.1:[0-9]+/)").Groups[1].Value);
        RolloutJobId = Regex.Match(printed, @"curl -s http://127\.0\.0\.1:[0-9]+/jobs/([A-Za-z0-9_-]+)").Groups[1].Value;
        ApiClient = new HttpClient { BaseAddress = Api };

        // The pages poll every 2-3 s on a machine that may be busy: wait up to 20 s for what they should show.
        Assertions.SetDefaultExpectTimeout(20_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CONSOLE_BROWSER") is { Length: > 0 } browser ? browser : "/usr/bin/chromium",
            Headless = true,
            // Containers often lack the user namespaces chromium's sandbox needs; the page is our own, on loopback.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A fresh page; on failure it is photographed into TestResults/console-screenshots, which CI keeps.</summary>
    public async Task WithPageAsync(string testName, Func<IPage, Task> test)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        try
        {
            await test(page);
        }
        catch
        {
            var folder = Path.Combine(RepositoryPaths.Root, "TestResults", "console-screenshots");
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{testName}.png"), FullPage = true });
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
        ApiClient?.Dispose();
        await _stop.CancelAsync();
        if (_serving is not null)
        {
            await _serving;
        }

        await _moto.DisposeAsync();
        _stop.Dispose();
    }
}
