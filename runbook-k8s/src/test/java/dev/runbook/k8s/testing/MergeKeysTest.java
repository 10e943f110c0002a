package dev.runbook.k8s.testing;

import static dev.runbook.k8s.testing.StrategicMergeTest.at;
import static dev.runbook.k8s.testing.StrategicMergeTest.pod;
import static dev.runbook.k8s.testing.StrategicMergeTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link StrategicMerge} on the fields our actions patch, by the merge keys of {@link MergeKeys}: the cases where a
 * merge by {@code name} alone (the stand-in's former rule) gives another object than the API server.
 */
class MergeKeysTest {
    // merge key of Container.ports is containerPort (core/v1 Container: patchMergeKey:"containerPort"): a name-only
    // merge replaced this unnamed list by the patch's one port
    @Test
    void portsMergeByContainerPort() {
        var merged = StrategicMerge.apply(web(), yaml("""
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        ports:
                        - containerPort: 8080
                          protocol: TCP
                """));

        assertThat(app(merged).get("ports")).isEqualTo(List.of(Map.of("containerPort", 8080, "protocol", "TCP"), Map.of("containerPort", 9090)));
    }

    // merge key of Container.volumeMounts is mountPath (patchMergeKey:"mountPath"): the same volume mounted at a new
    // path is a new mount; a name-only merge overwrote the existing mount of that volume
    @Test
    void volumeMountsMergeByMountPath() {
        var merged = StrategicMerge.apply(web(), yaml("""
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        volumeMounts:
                        - name: data
                          mountPath: /logs
                          subPath: logs
                        - name: data
                          mountPath: /cache
                          readOnly: true
                """));

        // apimachinery's order: the patch's items in patch order, a live-only item before the next patch item it stood
        // before in the live list
        assertThat(app(merged).get("volumeMounts")).isEqualTo(List.of(
                Map.of("name", "data", "mountPath", "/logs", "subPath", "logs"),
                Map.of("name", "data", "mountPath", "/data"),
                Map.of("name", "data", "mountPath", "/cache", "subPath", "cache", "readOnly", true)));
    }

    @Test
    void envVolumesAndResourcesMergeAndNullDeletes() {
        var merged = StrategicMerge.apply(web(), yaml("""
                metadata:
                  labels:
                    tier: null
                    team: web
                  annotations:
                    note: patched
                spec:
                  template:
                    spec:
                      volumes:
                      - name: data
                        emptyDir: {medium: Memory}
                      containers:
                      - name: app
                        args: [--verbose]
                        env:
                        - name: MODE
                          value: canary
                        resources:
                          limits:
                            memory: 512Mi
                          requests: null
                """));

        assertThat(at(merged, "metadata")).isEqualTo(Map.of("name", "web", "labels", Map.of("app", "web", "team", "web"),
                "annotations", Map.of("owner", "shop", "note", "patched")));
        assertThat(at(merged, "spec.template.spec.volumes")).isEqualTo(List.of(
                Map.of("name", "data", "emptyDir", Map.of("medium", "Memory")), Map.of("name", "tmp", "emptyDir", Map.of())));
        Map<?, ?> app = app(merged);
        // args have no patch strategy: replaced, not merged
        assertThat(app.get("args")).isEqualTo(List.of("--verbose"));
        assertThat(app.get("env")).isEqualTo(List.of(Map.of("name", "MODE", "value", "canary"), Map.of("name", "LOG", "value", "info")));
        assertThat(app.get("resources")).isEqualTo(Map.of("limits", Map.of("memory", "512Mi", "cpu", "1")));
        assertThat(((List<?>) at(merged, "spec.template.spec.containers")).get(1)).isEqualTo(Map.of("name", "sidecar", "image", "proxy:2.0"));
    }

    @Test
    void aPodsContainersMergeAsATemplatesDo() {
        var merged = StrategicMerge.apply(pod(), yaml("""
                spec:
                  containers:
                  - name: log-tailer
                    image: log-tailer-1.1
                """));

        assertThat(at(merged, "spec.containers")).isEqualTo(List.of(
                Map.of("name", "nginx", "image", "nginx-0.9"), Map.of("name", "log-tailer", "image", "log-tailer-1.1")));
    }

    @Test
    void refusesWhatTheServerRefuses() {
        assertThatThrownBy(() -> StrategicMerge.apply(pod(), yaml("spec: {containers: [{image: nameless}]}")))
                .isInstanceOf(StrategicMerge.InvalidPatchException.class).hasMessageContaining("merge key name");
        assertThatThrownBy(() -> StrategicMerge.apply(pod(), yaml("spec: {containers: [{$patch: delete, image: x}]}")))
                .isInstanceOf(StrategicMerge.InvalidPatchException.class);
        assertThatThrownBy(() -> StrategicMerge.apply(pod(), yaml("spec: {$patch: merge}")))
                .isInstanceOf(StrategicMerge.InvalidPatchException.class);
    }

    @Test
    void leavesItsInputsAlone() {
        var live = web();
        var patch = yaml("metadata: {labels: {tier: null}}");

        StrategicMerge.apply(live, patch);

        assertThat(live).isEqualTo(web());
        assertThat(patch).isEqualTo(yaml("metadata: {labels: {tier: null}}"));
    }

    /** A Deployment with the lists our actions patch: two ports, a volume mounted twice, env, resources. */
    private static Map<String, Object> web() {
        return yaml("""
                metadata:
                  name: web
                  labels: {app: web, tier: front}
                  annotations: {owner: shop}
                spec:
                  template:
                    spec:
                      volumes:
                      - name: data
                        emptyDir: {}
                      - name: tmp
                        emptyDir: {}
                      containers:
                      - name: app
                        args: [--quiet, --port=8080]
                        ports:
                        - containerPort: 8080
                        - containerPort: 9090
                        volumeMounts:
                        - name: data
                          mountPath: /data
                        - name: data
                          mountPath: /cache
                          subPath: cache
                        env:
                        - name: MODE
                          value: prod
                        - name: LOG
                          value: info
                        resources:
                          limits: {memory: 256Mi, cpu: "1"}
                          requests: {memory: 128Mi}
                      - name: sidecar
                        image: proxy:2.0
                """);
    }

    /** The first container of a Deployment. */
    private static Map<?, ?> app(Map<String, Object> deployment) {
        return (Map<?, ?>) ((List<?>) at(deployment, "spec.template.spec.containers")).get(0);
    }

}
