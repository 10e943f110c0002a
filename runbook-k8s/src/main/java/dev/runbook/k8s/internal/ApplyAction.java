package dev.runbook.k8s.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.core.action.ParamSpec.required;
import static dev.runbook.core.action.ParamSpec.withDefault;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl_apply}: server-side apply of one manifest with the field manager {@value K8sAction#FIELD_MANAGER}.
 * As {@code kubectl apply --server-side}, fields other field managers own are not taken over unless
 * {@code force_conflicts} is true ({@code --force-conflicts}): the API server answers 409 and the step fails, naming
 * each conflicting field and its manager. Secret values never reach the summary or the output: only the changed keys
 * are named.
 */
final class ApplyAction extends K8sAction {

    ApplyAction(KubernetesClients clients) {
        super(clients, "kubectl_apply", "k8s.apply", "Applies a manifest with server-side apply (field manager runbook)",
                ParamSchema.of(
                        required("manifest", ParamType.MAP, "the object: apiVersion, kind, metadata.name, ..."),
                        optional("namespace", ParamType.STRING,
                                "namespace when the manifest has none; default the incident's, else default"),
                        withDefault("force_conflicts", ParamType.BOOLEAN, false,
                                "take over fields other field managers own (kubectl's --force-conflicts); by default a "
                                        + "conflict fails the step naming the managers")),
                true);
    }

    @Override
    @SuppressWarnings("unchecked")
    ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception {
        Map<String, Object> manifest = new LinkedHashMap<>(ctx.map("manifest"));
        String kindText = text(manifest.get("kind"), "kind");
        String apiVersion = text(manifest.get("apiVersion"), "apiVersion");
        Kind known = Kind.find(kindText).filter(k -> k.kind().equals(kindText)).orElseThrow(() ->
                new IllegalArgumentException("parameter 'manifest': kind '" + kindText + "' is not a built-in kind this action "
                        + "knows (known: " + String.join(", ", Kind.known()) + ")"));
        Kind kind = new Kind(known.kind(), apiVersion, known.namespaced(), known.names());
        if (!(manifest.get("metadata") instanceof Map<?, ?> meta0)) {
            throw new IllegalArgumentException("parameter 'manifest': metadata.name is missing");
        }
        var meta = new LinkedHashMap<>((Map<String, Object>) meta0);
        String name = text(meta.get("name"), "metadata.name");
        String ns = "";
        if (kind.namespaced()) {
            ns = Optional.ofNullable(meta.get("namespace")).map(String::valueOf)
                    .or(() -> ctx.optionalString("namespace"))
                    .or(() -> Optional.of(ctx.incident().resource().namespace()))
                    .filter(s -> !s.isBlank()).orElse("default");
            meta.put("namespace", ns);
        }
        manifest.put("metadata", meta);
        Target t = new Target(kind, ns, name);
        GenericKubernetesResource existing = t.on(client).get();
        Map<String, Object> before = existing == null ? Map.of() : Objects2.toMap(existing);
        boolean force = ctx.bool("force_conflicts", false);
        // the manifest object is sent as the apply body (Jackson-serialised), with the field manager (and force if asked)
        var apply = client.resource(Objects2.convert(manifest, GenericKubernetesResource.class))
                .dryRun(ctx.dryRun()).fieldManager(FIELD_MANAGER);
        GenericKubernetesResource applied;
        try {
            applied = force ? apply.forceConflicts().serverSideApply() : apply.serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 && !force) {
                throw conflict(t, e);
            }
            throw e;
        }
        Map<String, Object> after = Objects2.toMap(applied);
        boolean secret = kind.kind().equals("Secret");
        List<Objects2.Change> changes = Objects2.diff(before, after);
        String changeText = existing == null ? "created"
                : secret ? redacted(changes) : Objects2.summarize(changes);
        var out = output(t, ctx.dryRun());
        out.put("created", existing == null);
        out.put("changes", secret ? changes.stream().map(Objects2.Change::path).toList()
                : changes.stream().map(Objects2.Change::text).toList());
        out.put("object", secret ? withoutData(after) : after);
        String verb = existing == null ? "created" : "applied";
        var result = new ActionResult(Optional.of(out), List.of(),
                prefix(ctx.dryRun()) + verb + " " + t.describe() + (existing == null ? "" : ": " + changeText));
        return changes.isEmpty() ? result : result.touching(t.touched(verb + ": " + changeText));
    }

    /**
     * The step's error for a server-side apply conflict: each field with the manager owning it, from the Status
     * causes ({@code field} and {@code message: conflict with "MANAGER" [using VERSION]}), else the Status message.
     */
    static ActionException conflict(Target t, KubernetesClientException e) {
        var owned = new ArrayList<String>();
        var status = e.getStatus();
        if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
            for (StatusCause c : status.getDetails().getCauses()) {
                String field = c.getField() == null || c.getField().isBlank() ? "(a field)" : c.getField();
                String msg = c.getMessage() == null ? "another field manager" : c.getMessage();
                String owner = msg.startsWith("conflict with ") ? msg.substring("conflict with ".length()) : msg;
                owned.add(field + " (owned by " + owner + ")");
            }
        }
        String what = owned.isEmpty() ? statusMessage(e) : String.join("; ", owned);
        return new ActionException("kubectl_apply: server-side apply of " + t.describe() + " conflicts with fields other "
                + "field managers own, nothing was changed: " + what + "; set force_conflicts: true to take these fields "
                + "over (kubectl apply --server-side --force-conflicts), or leave them out of the manifest", false, e);
    }

    private static String redacted(List<Objects2.Change> changes) {
        if (changes.isEmpty()) {
            return "no change";
        }
        return "changed " + String.join(", ", changes.stream().map(Objects2.Change::path).limit(5).toList())
                + (changes.size() > 5 ? " (+" + (changes.size() - 5) + " more)" : "") + " (values redacted)";
    }

    private static Map<String, Object> withoutData(Map<String, Object> secret) {
        var copy = new LinkedHashMap<>(secret);
        copy.remove("data");
        copy.remove("stringData");
        return copy;
    }

    private static String text(Object v, String field) {
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("parameter 'manifest': " + field + " is missing or not text");
        }
        return s;
    }
}
