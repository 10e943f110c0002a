package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands with the real integration providers of the class path (runbook-k8s, runbook-neo4j, runbook-docker,
 * found through ServiceLoader; no stand-ins): the seed's runbooks validate against their action schemas, the schema
 * lists their actions, and plan's target flags reach the providers.
 */
class IntegrationProvidersTest {
    static final String R = "src/test/resources/runbooks/";
    static final String I = "src/test/resources/incidents/";
    private String savedKubeconfig;

    @BeforeEach
    void save() {
        savedKubeconfig = System.getProperty("kubeconfig");
    }

    @AfterEach
    void restore() {
        if (savedKubeconfig == null) {
            System.clearProperty("kubeconfig");
        } else {
            System.setProperty("kubeconfig", savedKubeconfig);
        }
    }

    @Test
    void theSeedRunbooksAreValidAgainstTheKubernetesNeo4jAndDockerActions() throws Exception {
        var r = Cli.run("validate", "--output", "json", R + "seed");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("problems")).isEmpty();
        assertThat(json.findValuesAsText("id")).containsExactly("imagepullbackoff-fix-auth-v1",
                "nodenotready-cordon-drain-v1", "oomkilled-increase-memory-v1");
        assertThat(Cli.run("validate", R + "seed").out()).isEqualTo("ok: 3 runbook(s) valid\n");
    }

    @Test
    void aMistakeInASeedRunbookIsFoundByTheProvidersSchema(@TempDir Path dir) throws Exception {
        // the same file with a misspelt kubectl_patch param: only the real provider's schema knows it is wrong
        String text = Files.readString(Path.of(R + "seed/oomkilled-increase-memory.yaml"));
        Path bad = Files.writeString(dir.resolve("oom.yaml"), text.replace("        namespace: \"{{ incident.resource.namespace }}\"\n"
                + "        patch: |", "        namespace: \"{{ incident.resource.namespace }}\"\n        pach: |"));
        var r = Cli.run("validate", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).startsWith(bad + ":").contains("steps[2].params.pach: unknown parameter 'pach' (did you mean 'patch'?)");
    }

    @Test
    void theSchemaListsTheActionsOfTheIntegrations() throws Exception {
        var r = Cli.run("schema");
        assertThat(r.code()).isZero();
        new ObjectMapper().readTree(r.out());
        assertThat(r.out()).contains("\"kubectl_patch\"", "\"kubectl_drain\"", "\"check_neo4j\"", "\"restart-container\"");
    }

    @Test
    void aMarkdownRunbookValidatesThroughTheCli() {
        var r = Cli.run("validate", R + "markdown/oomkilled-increase-memory.md");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).isEqualTo("ok: 1 runbook(s) valid\n");
    }

    @Test
    void aMistakeInAMarkdownRunbookIsReportedAtItsLineInTheMdFile(@TempDir Path dir) throws Exception {
        String text = Files.readString(Path.of(R + "markdown/oomkilled-increase-memory.md"));
        assertThat(text).contains("action: kubectl_get\n");
        Path bad = Files.writeString(dir.resolve("oom.md"), text.replaceFirst("action: kubectl_get\n", "action: kubectl_gt\n"));
        int line = (int) text.substring(0, text.indexOf("action: kubectl_get\n")).lines().count() + 1;
        var r = Cli.run("validate", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).startsWith(bad + ":" + line + ":9: steps[0].action: unknown action 'kubectl_gt' (did you mean 'kubectl_get'?)");
    }

    @Test
    void kubeContextReachesTheKubernetesProvider(@TempDir Path dir) throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                current-context: blue
                clusters:
                - name: blue
                  cluster: {server: "https://127.0.0.1:1"}
                contexts:
                - name: blue
                  context: {cluster: blue, user: ops}
                users:
                - name: ops
                  user: {token: not-a-secret}
                """);
        System.setProperty("kubeconfig", kubeconfig.toString());
        var r = Cli.run("plan", "--kube-context", "purple", "--incident", I + "oomkilled.json",
                R + "seed/oomkilled-increase-memory.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("dry run against kubernetes context purple:\n",
                "  1. Get current memory limit [kubectl_get, read] FAILED: kubectl_get: unknown kubeconfig context "
                        + "'purple' (given by runbook.k8s.context, RUNBOOK_K8S_CONTEXT or --kube-context): the kubeconfig "
                        + "has no such context; use one of its contexts (contexts: blue)");
        assertThat(System.getProperty("runbook.k8s.context")).as("set for the plan only").isNull();
    }

    @Test
    void dockerHostReachesTheDockerProvider() throws Exception {
        // a real HTTP server on loopback stands for the engine; it knows no containers
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            byte[] body = "{\"message\":\"No such container: web-1\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        engine.start();
        try {
            String host = "tcp://127.0.0.1:" + engine.getAddress().getPort();
            var r = Cli.run("plan", "--docker-host", host, "--incident", I + "memory-spike.json", R + "docker");
            assertThat(paths).as(r.out() + r.err()).anyMatch(p -> p.endsWith("/containers/web-1/json"));
            assertThat(r.out()).contains("dry run against docker " + host + ":\n",
                    "restart-container: container 'web-1' not found on " + host);
            assertThat(r.code()).isEqualTo(1);
        } finally {
            engine.stop(0);
        }
    }
}
