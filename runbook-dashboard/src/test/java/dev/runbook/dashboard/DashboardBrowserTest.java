package dev.runbook.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.guard.GuardDecision;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The real page in headless Chromium (Debian's chromium and chromium-driver; Selenium is pointed at
 * /usr/bin/chromedriver, so nothing is downloaded). Screenshots of the pages go to target/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private ChromeDriverService service;
    private WebDriver driver;
    private Fixture fx;

    @BeforeAll
    void startBrowser() {
        assumeTrue(Files.isExecutable(DRIVER), "/usr/bin/chromedriver is absent: install Debian's chromium and "
                + "chromium-driver (.ci/run does) to run the browser tests");
        // Selenium Manager must neither download a driver nor report statistics.
        System.setProperty("SE_AVOID_STATS", "true");
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        var options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
        driver = new ChromeDriver(service, options);
        fx = new Fixture();
    }

    @AfterAll
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (fx != null) {
            fx.close();
        }
    }

    private WebDriverWait waitUpTo(Duration d) {
        return new WebDriverWait(driver, d, Duration.ofMillis(20));
    }

    private void open(String hash) {
        driver.get(fx.server.uri() + hash);
        waitUpTo(Duration.ofSeconds(15)).until(ExpectedConditions.textToBe(By.id("sse-status"), "live"));
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    @Order(1)
    void aLiveExecutionAppearsWithinASecondOfTheEngineEvent() throws Exception {
        driver.get(fx.server.url());
        waitUpTo(Duration.ofSeconds(15)).until(ExpectedConditions.textToBe(By.id("sse-status"), "live"));
        fx.gate = new CountDownLatch(1);
        var incident = fx.incident("Hung", false);
        var future = fx.engine.handleAsync(incident);
        String id = fx.started(incident).get(10, TimeUnit.SECONDS);

        // Still running (held at the gate), so only the live stream can have put it there. The row is redrawn as
        // events arrive: the wait finds it afresh each time.
        By row = By.cssSelector("#live tr[data-execution-id='" + id + "']");
        waitUpTo(Duration.ofSeconds(1)).until(ExpectedConditions.and(
                ExpectedConditions.textToBePresentInElementLocated(row, "restart-hung-pod"),
                ExpectedConditions.textToBePresentInElementLocated(row, "running")));

        fx.gate.countDown();
        assertThat(future.get(10, TimeUnit.SECONDS).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(row, "SUCCEEDED"));

        fx.engine.handle(fx.incident("OOMKilled", false));
        Execution last = fx.engine.handle(fx.incident("OOMKilled", true));
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#history tr[data-execution-id='" + last.id() + "']")));
        screenshot("dashboard-live.png");
    }

    @Test
    @Order(2)
    void theDetailPageShowsTheGuardDecisionsAndTheRollbackOfAFailingRunbook() throws Exception {
        Execution e = fx.engine.handle(fx.incident("OOMKilled", true));
        assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);

        open("#/executions/" + e.id());
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBe(By.id("detail-status"), "ROLLED_BACK"));

        List<WebElement> guards = driver.findElements(By.cssSelector("#guards tbody tr"));
        assertThat(guards).extracting(g -> g.findElement(By.cssSelector("td")).getText())
                .containsExactlyElementsOf(e.guardDecisions().stream().map(GuardDecision::guard).toList());
        assertThat(guards.get(0).getText()).contains("allow");
        String rollback = driver.findElement(By.id("rollback")).getText();
        assertThat(rollback).contains("Restore memory limit", "SUCCEEDED", "256Mi");
        String steps = driver.findElement(By.id("steps")).getText();
        assertThat(steps).contains("Verify recovered", "pod still OOMKilled after the change")
                .contains("***").doesNotContain(Fixture.SECRET);
        assertThat(driver.findElement(By.id("matches")).getText()).contains("oom-increase-memory (chosen)");
        screenshot("dashboard-execution.png");
    }

    @Test
    @Order(3)
    void theChartIsDrawnWithOneBarPerRunbook() throws Exception {
        fx.gate = new CountDownLatch(0);
        fx.engine.handle(fx.incident("Hung", false));
        fx.engine.handle(fx.incident("OOMKilled", false));
        int expected = fx.feed.memoryStats().perRunbook().size();
        assertThat(expected).isGreaterThanOrEqualTo(2);

        open("#/runbooks");
        var wait = waitUpTo(Duration.ofSeconds(5));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#chart-success rect.bar"), expected));
        List<WebElement> bars = driver.findElements(By.cssSelector("#chart-success rect.bar"));
        assertThat(bars).anySatisfy(b -> assertThat(Double.parseDouble(b.getAttribute("width"))).isPositive());
        assertThat(driver.findElements(By.cssSelector("#chart-rootcause rect.bar"))).isNotEmpty();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#library .runbook"), 3));
        assertThat(driver.findElement(By.cssSelector("[data-runbook-id='oom-increase-memory']")).getText())
                .contains("OOMKilled", "Set memory limit", "patch_memory", "Restore memory limit");

        // Non-blank: the chart's own pixels hold background, bars and text.
        byte[] png = driver.findElement(By.id("chart-success")).getScreenshotAs(OutputType.BYTES);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        var colours = new HashSet<Integer>();
        for (int x = 0; x < img.getWidth(); x += 3) {
            for (int y = 0; y < img.getHeight(); y += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours).hasSizeGreaterThan(3);
        screenshot("dashboard-runbooks.png");
    }

    @Test
    @Order(4)
    void approvingInThePageLetsTheExecutionProceedAndRecordsTheApprover() throws Exception {
        open("#/control");
        driver.findElement(By.id("approver-name")).sendKeys("alice");
        var future = fx.engine.handleAsync(fx.incident("ImagePullBackOff", false));

        var wait = waitUpTo(Duration.ofSeconds(10));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".approval button.approve"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes")));
        screenshot("dashboard-control.png");
        assertThat(future).isNotDone(); // nothing happens before the confirmation
        driver.findElement(By.id("confirm-yes")).click();

        Execution e = future.get(10, TimeUnit.SECONDS);
        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.approval()).hasValueSatisfying(a -> {
            assertThat(a.approved()).isTrue();
            assertThat(a.approver()).isEqualTo("alice");
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-message"), "as alice"));
    }

    @Test
    @Order(5)
    void aControlWithoutTheTokenIsRefusedWith401() {
        open("#/control");
        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('api/control/kill-switch', {method: 'POST', body: JSON.stringify("
                        + "{engage: true, confirm: true, name: 'mallory'})}).then(r => done(r.status));");
        assertThat(status).isEqualTo(401L);
        assertThat(fx.engine.killSwitch().engaged()).isEmpty();
    }

    @Test
    @Order(6)
    void aThousandExecutionsArePagedAndThePageStaysUsable() throws Exception {
        try (var big = new Fixture()) {
            String oldest = null;
            for (int i = 0; i < 1_000; i++) {
                String id = big.engine.handle(big.incident("OOMKilled", false)).id();
                oldest = oldest == null ? id : oldest;
            }
            driver.get(big.server.url());
            var wait = waitUpTo(Duration.ofSeconds(10));
            wait.until(ExpectedConditions.textToBe(By.id("page-info"), "page 1 of 40 (1000 executions)"));
            assertThat(driver.findElements(By.cssSelector("#history tbody tr"))).hasSize(25);

            driver.findElement(By.id("last")).click();
            wait.until(ExpectedConditions.textToBe(By.id("page-info"), "page 40 of 40 (1000 executions)"));
            List<WebElement> rows = driver.findElements(By.cssSelector("#history tbody tr"));
            assertThat(rows).hasSize(25);
            assertThat(rows.get(24).getAttribute("data-execution-id")).isEqualTo(oldest);

            driver.findElement(By.id("prev")).click();
            wait.until(ExpectedConditions.textToBe(By.id("page-info"), "page 39 of 40 (1000 executions)"));
        }
    }
}
