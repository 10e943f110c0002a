package dev.runbook.k8s.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link StrategicMerge} against the merge results the Kubernetes documentation gives: each case cites its page, and the
 * objects and patches are the page's, in YAML as there ({@link MergeKeysTest} covers the fields our actions patch).
 */
class StrategicMergeTest {
    private static final String KUBECTL_PATCH =
            "https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/";

    /** application/deployment-patch.yaml of the kubectl patch task. */
    private static final String PATCH_DEMO = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: patch-demo
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app.kubernetes.io/name: nginx
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: nginx
                spec:
                  containers:
                  - name: patch-demo-ctr
                    image: nginx
                  tolerations:
                  - effect: NoSchedule
                    key: dedicated
                    value: test-team
            """;

    // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
    // patch-file.yaml: "the list in the patch was merged with the existing list"; the page's output lists the new
    // container first
    @Test
    void containersMergeByNameAndTheAddedContainerComesFirst() {
        var merged = StrategicMerge.apply(yaml(PATCH_DEMO), yaml("""
                spec:
                  template:
                    spec:
                      containers:
                      - name: patch-demo-ctr-2
                        image: redis
                """));

        assertThat(at(merged, "spec.template.spec.containers")).isEqualTo(List.of(
                Map.of("name", "patch-demo-ctr-2", "image", "redis"),
                Map.of("name", "patch-demo-ctr", "image", "nginx")));
        assertThat(at(merged, "spec.template.spec.tolerations")).isEqualTo(at(yaml(PATCH_DEMO), "spec.template.spec.tolerations"));
        assertThat(at(merged, "spec.replicas")).isEqualTo(2);
    }

    // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
    // patch-file-tolerations.yaml: "the tolerations list in the PodSpec was replaced, not merged"
    @Test
    void tolerationsAreReplaced() {
        var merged = StrategicMerge.apply(yaml(PATCH_DEMO), yaml("""
                spec:
                  template:
                    spec:
                      tolerations:
                      - effect: NoSchedule
                        key: disktype
                        value: ssd
                """));

        assertThat(at(merged, "spec.template.spec.tolerations")).isEqualTo(List.of(
                Map.of("effect", "NoSchedule", "key", "disktype", "value", "ssd")));
        assertThat(at(merged, "spec.template.spec.containers")).isEqualTo(at(yaml(PATCH_DEMO), "spec.template.spec.containers"));
    }

    // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
    // patch-file-2.yaml, sent as a JSON merge patch there (--type merge): "your list of one Container replaced the
    // existing containers list"; the same patch as a strategic merge patch adds the container instead
    @Test
    void patchFile2ReplacesContainersAsJsonMergeButMergesAsStrategicMerge() {
        var patch = yaml("""
                spec:
                  template:
                    spec:
                      containers:
                      - name: patch-demo-ctr-3
                        image: gcr.io/google-samples/node-hello:1.0
                """);
        var ctr3 = Map.of("name", "patch-demo-ctr-3", "image", "gcr.io/google-samples/node-hello:1.0");

        assertThat(at(JsonMergePatch.apply(yaml(PATCH_DEMO), patch), "spec.template.spec.containers")).isEqualTo(List.of(ctr3));
        assertThat(at(StrategicMerge.apply(yaml(PATCH_DEMO), patch), "spec.template.spec.containers")).isEqualTo(List.of(
                ctr3, Map.of("name", "patch-demo-ctr", "image", "nginx")));
    }

    // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
    // application/deployment-retainkeys.yaml and patch-file-retainkeys.yaml: "the strategy object in the Deployment
    // does not contain the rollingUpdate key anymore"
    @Test
    void retainKeysClearsTheFieldsItDoesNotList() {
        var live = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: retainkeys-demo
                spec:
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: nginx
                  strategy:
                    rollingUpdate:
                      maxSurge: 30%
                  template:
                    metadata:
                      labels:
                        app.kubernetes.io/name: nginx
                    spec:
                      containers:
                      - name: retainkeys-demo-ctr
                        image: nginx
                """);

        var merged = StrategicMerge.apply(live, yaml("""
                spec:
                  strategy:
                    $retainKeys:
                    - type
                    type: Recreate
                """));

        assertThat(at(merged, "spec.strategy")).isEqualTo(Map.of("type", "Recreate"));
        assertThat(at(merged, "spec.template")).isEqualTo(at(live, "spec.template"));
        // the same page: "All fields in the $retainKeys list must be a superset or the same as the fields present in
        // the patch"
        assertThatThrownBy(() -> StrategicMerge.apply(live, yaml("""
                spec:
                  strategy:
                    $retainKeys:
                    - type
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 1
                """))).isInstanceOf(StrategicMerge.InvalidPatchException.class).hasMessageContaining("rollingUpdate");
    }

    // https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
    // "replace Directive", List of Maps: "override the container list to be strictly replaced"
    @Test
    void patchReplaceInAListReplacesTheList() {
        var merged = StrategicMerge.apply(pod(), yaml("""
                spec:
                  containers:
                    - name: nginx
                      image: nginx-1.0
                    - $patch: replace
                """));

        assertThat(at(merged, "spec.containers")).isEqualTo(List.of(Map.of("name", "nginx", "image", "nginx-1.0")));
    }

    // https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
    // "replace Directive", Map: "a map should not be merged and instead should be taken literally"
    @Test
    void patchReplaceInAMapTakesTheMapLiterally() {
        var merged = StrategicMerge.apply(pod(), yaml("""
                spec:
                  $patch: replace
                  containers:
                  - name: nginx
                    image: nginx-1.0
                """));

        assertThat(merged.get("spec")).isEqualTo(Map.of("containers", List.of(Map.of("name", "nginx", "image", "nginx-1.0"))));
        assertThat(merged.get("metadata")).isEqualTo(pod().get("metadata"));
    }

    // https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
    // "delete Directive", List of Maps: "To delete an element of a list that should be merged"
    @Test
    void patchDeleteInAListDeletesTheElementWithThatMergeKey() {
        var merged = StrategicMerge.apply(pod(), yaml("""
                spec:
                  containers:
                    - name: nginx
                      image: nginx-1.0
                    - $patch: delete
                      name: log-tailer  # merge key and value goes here
                """));

        assertThat(at(merged, "spec.containers")).isEqualTo(List.of(Map.of("name", "nginx", "image", "nginx-1.0")));
    }

    // https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
    // "delete Directive", Maps: "Applying this patch will delete the rollingUpdate map"; "An equivalent way to delete
    // this map is rollingUpdate: null"
    @Test
    void patchDeleteInAMapDeletesTheMapAsNullDoes() {
        var live = yaml("""
                spec:
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 30%
                """);

        var directive = StrategicMerge.apply(live, yaml("""
                spec:
                  strategy:
                    rollingUpdate:
                      $patch: delete
                """));
        var nulled = StrategicMerge.apply(live, yaml("""
                spec:
                  strategy:
                    rollingUpdate: null
                """));

        assertThat(at(directive, "spec.strategy")).isEqualTo(Map.of("type", "RollingUpdate"));
        assertThat(nulled).isEqualTo(directive);
    }

    // https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
    // "deleteFromPrimitiveList Directive": finalizers a, b, c, patch deletes b and c, "it will become" a
    @Test
    void deleteFromPrimitiveListRemovesThoseValues() {
        var merged = StrategicMerge.apply(finalizers("a", "b", "c"), yaml("""
                metadata:
                  $deleteFromPrimitiveList/finalizers:
                    - b
                    - c
                """));

        assertThat(at(merged, "metadata.finalizers")).isEqualTo(List.of("a"));
    }

    // https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
    // "setElementOrder Directive", List of Primitives: a, b, c reordered to b, c, a
    @Test
    void setElementOrderReordersAPrimitiveList() {
        var merged = StrategicMerge.apply(finalizers("a", "b", "c"), yaml("""
                metadata:
                  $setElementOrder/finalizers:
                    - b
                    - c
                    - a
                """));

        assertThat(at(merged, "metadata.finalizers")).isEqualTo(List.of("b", "c", "a"));
    }

    // https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
    // "setElementOrder Directive", List of Maps: containers a, b, c reordered to b, c, a, their contents kept
    @Test
    void setElementOrderReordersContainersByMergeKey() {
        var live = yaml("""
                spec:
                  containers:
                    - name: a
                      image: image-a
                    - name: b
                      image: image-b
                    - name: c
                      image: image-c
                """);

        var merged = StrategicMerge.apply(live, yaml("""
                spec:
                  $setElementOrder/containers:
                    - name: b
                    - name: c
                    - name: a
                  containers:
                    - name: c
                      image: image-c2
                """));

        assertThat(at(merged, "spec.containers")).isEqualTo(List.of(Map.of("name", "b", "image", "image-b"),
                Map.of("name", "c", "image", "image-c2"), Map.of("name", "a", "image", "image-a")));
        // the patch's items must keep the directive's relative order
        assertThatThrownBy(() -> StrategicMerge.apply(live, yaml("""
                spec:
                  $setElementOrder/containers: [{name: b}, {name: a}]
                  containers: [{name: a, image: x}, {name: b, image: y}]
                """))).isInstanceOf(StrategicMerge.InvalidPatchException.class);
    }

    /** The Pod of the document's Background, with the log-tailer container its delete example removes. */
    static Map<String, Object> pod() {
        return yaml("""
                metadata:
                  name: pod-name
                spec:
                  containers:
                    - name: nginx
                      image: nginx-0.9
                    - name: log-tailer
                      image: log-tailer-1.0
                """);
    }

    private static Map<String, Object> finalizers(String... values) {
        return Map.of("metadata", Map.of("name", "x", "finalizers", List.of(values)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return Serialization.unmarshal(text, Map.class);
    }

    static Object at(Object object, String path) {
        Object at = object;
        for (String field : path.split("\\.")) {
            at = ((Map<?, ?>) at).get(field);
        }
        return at;
    }
}
