package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.core.backtest.Backtest;
import dev.runbook.core.backtest.BacktestDecision;
import dev.runbook.core.backtest.BacktestOutcome;
import dev.runbook.core.backtest.BacktestReport;
import dev.runbook.core.backtest.Comparison;
import dev.runbook.core.backtest.HistoricalIncident;
import dev.runbook.dsl.RunbookLoader;
import dev.runbook.neo4j.Neo4jIncidentHistory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The backtest on a generated history of 201 incidents in an in-process Neo4j ({@link BacktestGraph}): through the
 * API with {@link Neo4jIncidentHistory}, through {@code runbook backtest} end to end, and its HTML report in
 * headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BacktestCommandTest {
    private static final String RUNBOOKS = "src/test/resources/runbooks/backtest";
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private Neo4j neo4j;
    private Driver driver;
    private BacktestGraph graph;

    @TempDir
    Path dir;

    @BeforeAll
    void startGraph() throws Exception {
        neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                .build();
        driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        // 20 days back, so that --since 30d covers the whole history
        graph = BacktestGraph.create(driver, Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(20)));
    }

    @AfterAll
    void stopGraph() {
        if (driver != null) {
            driver.close();
        }
        if (neo4j != null) {
            neo4j.close();
        }
    }

    private void assertEveryDecision(List<BacktestDecision> ds) {
        assertThat(graph.size()).isGreaterThanOrEqualTo(200);
        assertThat(ds).hasSize(graph.size());
        for (int i = 0; i < ds.size(); i++) {
            BacktestDecision d = ds.get(i);
            BacktestGraph.Expected e = graph.expected.get(i);
            assertThat(List.<Object>of(d.incidentId(), d.eventTime(), d.outcome(), d.runbookId().orElse(""),
                    d.deniedBy().orElse(""), d.comparison()))
                    .as("incident %d", i)
                    .containsExactly(e.eid(), e.at(), e.outcome(), e.runbook(), e.deniedBy(), e.comparison());
        }
    }

    @Test
    void theApiReplaysTheGraphsHistoryAndReachesEveryExpectedDecision() {
        var loaded = RunbookLoader.builder().build().load(Path.of(RUNBOOKS)).runbooksOrThrow();
        Backtest backtest = Backtest.builder().runbooks(loaded)
                .executionTime(BacktestGraph.EXECUTION_TIME).build();
        BacktestReport report;
        // small pages: the history is read 16 at a time as the replay goes
        try (Stream<HistoricalIncident> history = Neo4jIncidentHistory.builder().driver(driver).pageSize(16).build()
                .since(graph.base.minusSeconds(1))) {
            report = backtest.run(history);
        }
        assertEveryDecision(report.decisions());
        assertThat(report.count(BacktestOutcome.WOULD_RUN)).isEqualTo(60 + 20 + 20);
        assertThat(report.count(BacktestOutcome.WOULD_DENY)).isEqualTo(60 + 10 + 10);
        assertThat(report.count(BacktestOutcome.NO_MATCH)).isEqualTo(21);
        assertThat(report.count(Comparison.DIFFERENT)).isEqualTo(3 + 1 + 1 + 2);
        BacktestDecision denied = report.decisions().get(3);
        assertThat(denied.denial().orElseThrow().reason())
                .startsWith("max_executions_per_hour 3 for runbook oom-restart-v2 reached: 3 in the last 1h");
        assertThat(denied.matchExplanation()).startsWith("matched: root_cause_reason 'OOMKilled' in [OOMKilled]");
        assertThat(denied.difference()).hasValue("would be denied by rate_limit (oom-restart-v2), ran oom-restart-v2 "
                + "(succeeded)");
        assertThat(report.decisions().get(120).difference()).hasValue("would run disk-cleanup-v1, was denied by "
                + "enabled (disk-cleanup-v1)");
        assertThat(report.decisions().get(121).denial().orElseThrow().reason())
                .startsWith("cooldown 30m for runbook disk-cleanup-v1 on Pod/default/db-0 not yet elapsed");
        assertThat(report.decisions().get(151).difference()).hasValue("would be denied by dedupe (net-reset-v1), was "
                + "denied by enabled (net-reset-v1)");
        assertThat(report.decisions().get(180).difference()).hasValue("would match no runbook, ran evict-legacy "
                + "(succeeded)");
        assertThat(report.perRunbook()).extracting(s -> s.runbookId() + " " + s.matched() + " " + s.wouldRun() + " "
                + s.wouldDeny() + " " + s.deniedBy() + " " + s.recordedRuns() + " " + s.differences())
                .containsExactlyInAnyOrder("oom-restart-v2 120 60 60 {rate_limit=60} 6 3",
                        "disk-cleanup-v1 30 20 10 {rate_limit=10} 0 1", "net-reset-v1 30 20 10 {dedupe=10} 0 1",
                        "evict-legacy 0 0 0 {} 2 2");
    }

    @Test
    void theCommandWritesTheSameDecisionsAsJsonAndASummaryTable() throws Exception {
        var json = Cli.run("backtest", "--neo4j", neo4j.boltURI().toString(), "--since", "30d", "--format", "json",
                "--execution-time", "10m", RUNBOOKS);
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("incidents").asInt()).isEqualTo(graph.size());
        var ds = root.get("decisions");
        for (int i = 0; i < graph.size(); i++) {
            BacktestGraph.Expected e = graph.expected.get(i);
            JsonNode d = ds.get(i);
            assertThat(List.of(d.get("incident_id").asText(), d.get("outcome").asText(), d.get("runbook").asText(""),
                    d.get("denied_by").asText(""), d.get("comparison").asText())).as("incident %d", i)
                    .containsExactly(e.eid(), e.outcome().name().toLowerCase(), e.runbook(), e.deniedBy(),
                            e.comparison().name().toLowerCase());
        }

        var table = Cli.run("backtest", "--neo4j", neo4j.boltURI().toString(), "--since", "30d",
                "--execution-time", "10m", RUNBOOKS);
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("backtest of 201 incident(s)")
                .contains("would run 100, would be denied 80, no match 21; against the audit: same 3, different 7, "
                        + "not recorded 191")
                .containsPattern("oom-restart-v2 +120 +60 +60  rate_limit 60 +6 +3")
                .containsPattern("net-reset-v1 +30 +20 +10  dedupe 10 +0 +1")
                .contains("differences with the audit:");

        // a shorter assumed run: the NetworkDown incidents 5 minutes later are no longer deduplicated
        var short1 = Cli.run("backtest", "--neo4j", neo4j.boltURI().toString(), "--since", "30d", "--format", "json",
                "--execution-time", "2m", RUNBOOKS);
        assertThat(new ObjectMapper().readTree(short1.out()).get("totals").get("would_run").asInt()).isEqualTo(110);
    }

    @Test
    void badInputGetsOneClearLine() {
        var noNeo4j = Cli.run("backtest", "--since", "30d", RUNBOOKS);
        assertThat(noNeo4j.code()).isEqualTo(RunbookCli.EXIT_USAGE);
        assertThat(noNeo4j.err()).contains("give --neo4j bolt://host:7687 or set RUNBOOK_NEO4J_URI");

        var badSince = Cli.run("backtest", "--neo4j", neo4j.boltURI().toString(), "--since", "30x", RUNBOOKS);
        assertThat(badSince.code()).isEqualTo(RunbookCli.EXIT_USAGE);
        assertThat(badSince.err()).isEqualTo("runbook backtest: --since '30x' is not a duration: give one such as 30d,"
                + " 12h, 90m, 45s or 2w, or an ISO-8601 duration such as P30D, or an instant such as "
                + "2026-01-01T00:00:00Z\n");

        var future = Cli.run("backtest", "--neo4j", neo4j.boltURI().toString(), "--since", "2999-01-01T00:00:00Z",
                RUNBOOKS);
        assertThat(future.err()).contains("is in the future");

        var unreachable = Cli.run("backtest", "--neo4j", "bolt://127.0.0.1:1", "--since", "1d", RUNBOOKS);
        assertThat(unreachable.code()).isEqualTo(RunbookCli.EXIT_USAGE);
        assertThat(unreachable.err()).startsWith("runbook backtest: cannot read the incident history from "
                + "bolt://127.0.0.1:1: ");

        var halfAuth = Cli.run("backtest", "--neo4j", neo4j.boltURI().toString(), "--user", "neo4j", "--since", "1d",
                RUNBOOKS);
        assertThat(halfAuth.err()).contains("give both --neo4j-user and --neo4j-password");

        var badRunbooks = Cli.run("backtest", "--neo4j", neo4j.boltURI().toString(), "--since", "1d",
                "src/test/resources/runbooks/bad");
        assertThat(badRunbooks.code()).isEqualTo(RunbookCli.EXIT_PROBLEMS);
    }

    @Test
    void theHtmlReportDrawsItsTimelineInChromiumAndEscapesIncidentText() throws Exception {
        Path html = dir.resolve("backtest.html");
        var r = Cli.run("backtest", "--neo4j", neo4j.boltURI().toString(), "--since", "30d", "--format", "html",
                "--execution-time", "10m", "--output-file", html.toString(), RUNBOOKS);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote the html report of 201 incident(s) since ");
        String page = Files.readString(html);
        assertThat(page).doesNotContain(BacktestGraph.HOSTILE).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");

        assumeThat(Files.isExecutable(CHROMEDRIVER)).as("/usr/bin/chromedriver is absent: install Debian's chromium "
                + "and chromium-driver (.ci/run does) to run the browser tests").isTrue();
        System.setProperty("SE_AVOID_STATS", "true");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        WebDriver browser = new ChromeDriver(service, new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900"));
        try {
            browser.get(html.toUri().toString());
            // the untrusted text is shown as text, never run
            assertThat(browser.findElement(By.id("decisions")).getText()).contains(BacktestGraph.HOSTILE);
            assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.alertShown"))
                    .isNull();
            WebElement svg = browser.findElement(By.id("timeline"));
            assertThat(svg.findElements(By.cssSelector("circle.would_run"))).hasSize(100);
            assertThat(svg.findElements(By.cssSelector("rect.would_deny"))).hasSize(80);
            assertThat(svg.findElements(By.cssSelector("circle.no_match"))).hasSize(21);
            byte[] png = svg.getScreenshotAs(OutputType.BYTES);
            Files.write(Path.of("target", "backtest-timeline.png"), png);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(img.getWidth()).isGreaterThan(900);
            // the chart is drawn: the markers' colours are there, in the SVG's own pixels
            long green = 0;
            long red = 0;
            long grey = 0;
            for (int x = 0; x < img.getWidth(); x++) {
                for (int y = 0; y < img.getHeight(); y++) {
                    int rgb = img.getRGB(x, y) & 0xffffff;
                    if (rgb == 0x2e7d32) {
                        green++;
                    } else if (rgb == 0xc62828) {
                        red++;
                    } else if (rgb == 0x9e9e9e) {
                        grey++;
                    }
                }
            }
            assertThat(List.of(green, red, grey)).allSatisfy(n -> assertThat(n).isGreaterThan(50));
        } finally {
            browser.quit();
            service.stop();
        }
    }
}
