using PuppeteerSharp;

namespace Stills;

/// <summary>No Chromium on this machine: what to install, in one sentence.</summary>
public sealed class ChromiumMissingException(string message) : Exception(message);

/// <summary>
/// The machine's own Chromium (Debian's package), driven by PuppeteerSharp. The course never downloads a
/// browser: PuppeteerSharp's fetcher would need the network, and setup installs Debian's instead.
/// </summary>
public static class Chromium
{
    /// <summary>Overrides the search, for a Chrome or Chromium somewhere else.</summary>
    public const string Variable = "NETIPC_CHROMIUM";

    public static readonly string InstallHint =
        $"install Chromium (as root: tools/setup.sh, or apt-get install chromium), or set {Variable} to a Chrome or Chromium binary";

    // Debian's /usr/bin/chromium is a shell wrapper that prints a warning on some systems; the binary
    // it starts is /usr/lib/chromium/chromium.
    private static readonly string[] Candidates =
        ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    /// <summary>The browser binary, or null when there is none.</summary>
    public static string? Find() => Find(Environment.GetEnvironmentVariable(Variable));

    internal static string? Find(string? chosen)
    {
        if (!string.IsNullOrEmpty(chosen))
        {
            return File.Exists(chosen) ? chosen : throw new ChromiumMissingException($"{Variable}={chosen} names no file: {InstallHint}");
        }
        return Candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// A headless browser. Chromium's sandbox needs user namespaces or a setuid helper and refuses to run as
    /// root; where it cannot start (root, a container that blocks user namespaces) the browser is started
    /// again without it. That is acceptable here because it only ever opens the course's own local pages
    /// with every network request blocked.
    /// </summary>
    public static async Task<IBrowser> LaunchAsync()
    {
        string path = Find() ?? throw new ChromiumMissingException($"no Chromium on this machine: {InstallHint}");
        string[] common = ["--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"];
        try
        {
            return await Puppeteer.LaunchAsync(new LaunchOptions { ExecutablePath = path, Headless = true, Args = common });
        }
        catch (Exception sandboxed) when (sandboxed is ProcessException or TargetClosedException)
        {
            return await Puppeteer.LaunchAsync(new LaunchOptions { ExecutablePath = path, Headless = true, Args = [.. common, "--no-sandbox"] });
        }
    }
}
