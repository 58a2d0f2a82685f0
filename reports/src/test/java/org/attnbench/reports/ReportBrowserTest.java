package org.attnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The sample report opened in headless Chromium, served over http from localhost: it loads with
 * no console errors, every image loads, every figure has a caption, every link resolves, and a
 * full-page screenshot lands in {@code target/report-screenshot.png} for a person to look at.
 */
class ReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");

    /**
     * Selenium warns that it has no DevTools bindings for this Chromium's version; the test uses
     * only chromedriver's own commands, so the warning is noise. (Held here so it is not collected.)
     */
    private static final java.util.logging.Logger CDP_VERSION_LOG = quiet("org.openqa.selenium.devtools.CdpVersionFinder");
    private static final java.util.logging.Logger CHROMIUM_LOG = quiet("org.openqa.selenium.chromium.ChromiumDriver");

    @TempDir
    Path profile;

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
        log.setLevel(Level.SEVERE);
        return log;
    }

    @Test
    void reportLoadsCleanlyInChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium end-to-end test skipped: install Debian's chromium and chromium-driver"
                        + " (/usr/bin/chromium, /usr/bin/chromedriver)");
        Path report = SampleReport.dir();
        long start = System.nanoTime();
        try (LocalSite site = new LocalSite(report)) {
            ChromeDriver browser = start();
            try {
                browser.get(site.url("index.html"));
                JavascriptExecutor js = browser;
                waitUntil(js, "return document.readyState === 'complete'"
                        + " && Array.from(document.images).every(i => i.complete);", Duration.ofSeconds(30));

                assertEquals("attnbench report: quickstart", browser.getTitle());
                List<?> broken = (List<?>) js.executeScript("return Array.from(document.images)"
                        + ".filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src'));");
                assertTrue(broken.isEmpty(), "images that did not load: " + broken);
                long images = (Long) js.executeScript("return document.images.length;");
                assertTrue(images >= 10, "expected the sample's charts and image grids, found " + images + " images");

                List<?> uncaptioned = (List<?>) js.executeScript("return Array.from(document.querySelectorAll('figure'))"
                        + ".filter(f => { const c = f.querySelector('figcaption');"
                        + " return !c || c.textContent.trim().length < 40 || !f.querySelector('img'); })"
                        + ".map(f => f.id);");
                assertTrue(uncaptioned.isEmpty(), "figures without an image or a caption: " + uncaptioned);

                List<?> links = (List<?>) js.executeScript("return Array.from(document.querySelectorAll('a[href]'))"
                        + ".map(a => a.getAttribute('href')).filter(h => !h.startsWith('#'));");
                for (Object href : links) {
                    String h = (String) href;
                    assertTrue(!h.contains("://") && !h.startsWith("/"), "not a relative link: " + h);
                    assertTrue(Files.isRegularFile(report.resolve(h)), "link to a missing file: " + h);
                }

                List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
                assertTrue(errors.isEmpty(), "console errors and warnings: " + errors);
                assertTrue(site.notFound().isEmpty(), "requests the report folder could not serve: " + site.notFound());
                // the console channel works: an error would have been seen above
                js.executeScript("console.error('attnbench probe');");
                assertTrue(browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .anyMatch(e -> e.getMessage().contains("attnbench probe")), "browser console not captured");

                screenshot(browser);
            } finally {
                browser.quit();
            }
        }
        System.out.println("chromium check took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Headless as root on a machine without network: no sandbox, no GPU, and nothing that phones home.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** get() already waits for the load event; this also covers images still decoding. */
    private static void waitUntil(JavascriptExecutor js, String condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!Boolean.TRUE.equals(js.executeScript(condition))) {
            if (System.nanoTime() > end) throw new AssertionError("page not ready after " + limit + ": " + condition);
            Thread.sleep(50);
        }
    }

    /** The whole page, not just the window, through the DevTools protocol. */
    private static void screenshot(ChromeDriver browser) throws Exception {
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
        Files.write(SCREENSHOT, Base64.getDecoder().decode((String) shot.get("data")));
        System.out.println("screenshot: " + SCREENSHOT.toAbsolutePath());
    }
}
