package dev.runbook.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.WaitCondition;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.k8s.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's {@code --kube-context} reaches the ServiceLoader-created providers as the system property
 * {@code runbook.k8s.context} (or the environment variable {@code RUNBOOK_K8S_CONTEXT}): two mock servers are two
 * contexts of a kubeconfig file (fabric8 reads the file named by the system property {@code kubeconfig}).
 */
class KubeContextSelectionTest {
    private static final String KUBECONFIG_PROPERTY = "kubeconfig";
    private TestCluster blue;
    private TestCluster green;
    private final Map<String, Optional<String>> saved = new java.util.HashMap<>();

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        blue = TestCluster.mock();
        green = TestCluster.mock();
        probe(blue, "blue");
        probe(green, "green");
        // only the blue cluster has pod "x", so "pod/x gone" tells which cluster a wait condition watched
        blue.client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("x")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build()).create();
        Path kubeconfig = Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                current-context: blue
                clusters:
                - name: blue
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                - name: green
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                contexts:
                - name: blue
                  context: {cluster: blue, user: ops, namespace: default}
                - name: green
                  context: {cluster: green, user: ops, namespace: default}
                users:
                - name: ops
                  user: {token: not-a-secret}
                """.formatted(url(blue), url(green)));
        set(KUBECONFIG_PROPERTY, kubeconfig.toString());
        set(KubernetesClients.CONTEXT_PROPERTY, null);
    }

    @AfterEach
    void stop() {
        saved.forEach((k, v) -> {
            if (v.isPresent()) {
                System.setProperty(k, v.get());
            } else {
                System.clearProperty(k);
            }
        });
        blue.close();
        green.close();
    }

    private void set(String key, String value) {
        saved.putIfAbsent(key, Optional.ofNullable(System.getProperty(key)));
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static String url(TestCluster c) {
        return c.server().orElseThrow().url("/");
    }

    private static void probe(TestCluster c, String color) {
        c.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("probe").endMetadata().addToData("color", color).build()).create();
    }

    private static Incident incident() {
        return Incident.builder("i-1").rootCause("OOMKilled", 0.9)
                .resource(new ResourceRef("Pod", "x", "default", Optional.empty(), Optional.empty(), Optional.empty()))
                .build();
    }

    /** The probe's color as {@code kubectl_get} of a no-argument {@link KubernetesActions} reads it. */
    private static Object color(KubernetesActions actions) throws Exception {
        Action get = actions.actions().stream().filter(a -> a.name().equals("kubectl_get")).findFirst().orElseThrow();
        return get.execute(TestActionContext.builder(get).incident(incident())
                .params(Map.of("resource", "configmap/probe", "field", "data.color")).build()).output().orElseThrow();
    }

    @Test
    void clientsTheRegistryCreatesLeaveRetriesToTheStepsBackoff() {
        try (KubernetesClients clients = KubernetesClients.fromKubeconfig(Optional.empty());
             KubernetesClients green = KubernetesClients.fromKubeconfig(Optional.of("green"))) {
            assertThat(clients.forCluster(Optional.empty()).getConfiguration().getRequestRetryBackoffLimit()).isZero();
            assertThat(green.forCluster(Optional.empty()).getConfiguration().getRequestRetryBackoffLimit()).isZero();
        }
        try (KubernetesClients contexts = KubernetesClients.fromKubeconfig(Optional.empty())) {
            assertThat(contexts.forCluster(Optional.of("green")).getConfiguration().getRequestRetryBackoffLimit()).isZero();
        }
    }

    @Test
    void withoutAContextTheKubeconfigsCurrentContextIsUsed() throws Exception {
        assertThat(color(new KubernetesActions())).isEqualTo("blue");
    }

    @Test
    void theContextPropertyPicksTheClusterOfActionsAndWaitConditions() throws Exception {
        set(KubernetesClients.CONTEXT_PROPERTY, "green");

        KubernetesActions actions = new KubernetesActions();
        assertThat(color(actions)).isEqualTo("green");
        WaitCondition gone = new KubernetesWaitConditions().parse("pod/x gone").orElseThrow();
        // any action's context will do: the condition reads only the incident from it
        var ctx = TestActionContext.builder(actions.actions().get(0)).incident(incident()).build();
        assertThat(gone.awaitMet(ctx, Duration.ofSeconds(5))).as("pod x exists only in blue").isTrue();
    }

    @Test
    void anUnknownContextIsAClearErrorNeverTheCurrentContext() {
        set(KubernetesClients.CONTEXT_PROPERTY, "purple");
        KubernetesActions actions = new KubernetesActions();

        assertThatThrownBy(() -> color(actions)).isInstanceOfSatisfying(ActionException.class,
                e -> assertThat(e.retryable()).isFalse())
                .hasMessage("kubectl_get: unknown kubeconfig context 'purple' (given by runbook.k8s.context, "
                        + "RUNBOOK_K8S_CONTEXT or --kube-context): the kubeconfig has no such context; use one of its "
                        + "contexts (contexts: blue, green)");
    }

    @Test
    void thePropertyWinsOverTheEnvironmentVariableAndBlankValuesCountAsUnset() {
        Map<String, String> env = Map.of("RUNBOOK_K8S_CONTEXT", "from-env");
        assertThat(KubernetesClients.configuredContext(Map.of("runbook.k8s.context", "from-property")::get, env::get))
                .contains("from-property");
        assertThat(KubernetesClients.configuredContext(Map.<String, String>of()::get, env::get)).contains("from-env");
        assertThat(KubernetesClients.configuredContext(Map.of("runbook.k8s.context", " ")::get, env::get))
                .contains("from-env");
        assertThat(KubernetesClients.configuredContext(Map.<String, String>of()::get, Map.<String, String>of()::get))
                .isEmpty();
    }
}
