package dev.runbook.k8s.internal;

import dev.runbook.core.action.AbstractAction;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.retry.Backoff;
import dev.runbook.core.retry.RetryAfter;
import dev.runbook.k8s.KubernetesClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Shared machinery of the Kubernetes actions: the client for the incident's cluster, the target resource from
 * {@code resource}/{@code kind}/{@code name}/{@code namespace}, dry-run patch contexts, translation of API errors
 * into clear {@link ActionException}s, and bounded retries of 409 conflicts on fresh data.
 */
abstract class K8sAction extends AbstractAction {
    /** How often an update that met a 409 Conflict is redone on fresh data. */
    static final int CONFLICT_ATTEMPTS = 5;
    static final String FIELD_MANAGER = "runbook";
    static final List<String> DRY_RUN_ALL = List.of("All");

    protected final KubernetesClients clients;

    K8sAction(KubernetesClients clients, String name, String alias, String description, ParamSchema schema,
              boolean mutating) {
        super(name, Set.of(alias), description, schema, mutating);
        this.clients = clients;
    }

    @Override
    public final ActionResult execute(ActionContext ctx) throws Exception {
        KubernetesClient client;
        try {
            client = clients.forCluster(ctx.incident().cluster());
        } catch (IllegalArgumentException e) {
            throw new ActionException(name() + ": " + e.getMessage(), false, e);
        }
        try {
            return run(ctx, client);
        } catch (IllegalArgumentException e) {
            throw new ActionException(name() + ": " + e.getMessage(), false, e);
        } catch (KubernetesClientException e) {
            throw translate(e, name());
        }
    }

    abstract ActionResult run(ActionContext ctx, KubernetesClient client) throws Exception;

    /**
     * The kind an action changes when the step names none ({@code deployment} for scale), and whether the
     * incident's resource or controller fills a missing name; empty for actions whose target is not a single
     * object named by {@code resource}/{@code kind}/{@code name}.
     */
    Optional<Map.Entry<String, Boolean>> targetDefaults() {
        return Optional.empty();
    }

    /** What the step's parameters name, so the engine can lock it even without a dry run. */
    @Override
    public final List<TouchedResource> declaredTargets(Map<String, Object> params, dev.runbook.core.model.Incident incident) {
        if (!mutating() || targetDefaults().isEmpty()) {
            return List.of();
        }
        var d = targetDefaults().get();
        try {
            return List.of(target(params, incident, d.getKey(), d.getValue()).touched("declared target"));
        } catch (IllegalArgumentException e) {
            // The step will fail with this message when it runs; nothing to lock.
            return List.of();
        }
    }

    /** The resource a step names: {@code resource: deployment/web}, or {@code resource}/{@code kind} plus {@code name}. */
    record Target(Kind kind, String namespace, String name) {
        String describe() {
            return kind.kind() + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
        }

        TouchedResource touched(String change) {
            return new TouchedResource(kind.kind(), namespace, name, change);
        }

        Resource<GenericKubernetesResource> on(KubernetesClient client) {
            var op = client.genericKubernetesResources(kind.apiVersion(), kind.kind());
            return kind.namespaced() ? op.inNamespace(namespace).withName(name) : op.withName(name);
        }
    }

    /**
     * The target from the step's parameters. {@code resource} takes {@code pod}, {@code deployment} or
     * {@code deployment/NAME} as kubectl does; without a name the incident's controller (for a workload kind) or
     * resource (same kind) is used when {@code useIncident} is true.
     */
    static Target target(ActionContext ctx, String defaultKind, boolean useIncident) {
        return target(ctx.params(), ctx.incident(), defaultKind, useIncident);
    }

    /** {@link #target(ActionContext, String, boolean)} from the parameters alone, before the action runs. */
    static Target target(Map<String, Object> params, dev.runbook.core.model.Incident incidentData, String defaultKind,
                         boolean useIncident) {
        String resource = (String) params.get("resource");
        String kindParam = (String) params.get("kind");
        String name = (String) params.get("name");
        String kindText = kindParam != null ? kindParam : defaultKind;
        String kindSource = kindParam != null ? "kind" : "resource";
        if (resource != null) {
            int slash = resource.indexOf('/');
            if (slash >= 0) {
                String inline = resource.substring(slash + 1).trim();
                if (inline.isEmpty()) {
                    throw new IllegalArgumentException("parameter 'resource': '" + resource + "' has no name after '/'");
                }
                if (name != null && !name.equals(inline)) {
                    throw new IllegalArgumentException("parameter 'resource' names '" + inline + "' but parameter 'name' is '"
                            + name + "'; give the name once");
                }
                name = inline;
                kindText = resource.substring(0, slash);
            } else {
                kindText = resource;
            }
            kindSource = "resource";
        }
        if (kindText == null) {
            throw new IllegalArgumentException("parameter 'resource' is missing; give for instance resource: deployment/web");
        }
        Kind kind = Kind.require(kindText, kindSource);
        var incident = incidentData.resource();
        if (name == null || name.isBlank()) {
            if (useIncident && kind.hasPodTemplate() && incident.controller().isPresent()) {
                name = incident.controller().get();
            } else if (useIncident && kind.kind().equalsIgnoreCase(incident.kind())) {
                name = incident.name();
            } else {
                throw new IllegalArgumentException("parameter 'name' is missing: give name, or resource: "
                        + kind.names().get(0) + "/NAME");
            }
        }
        String ns = "";
        if (kind.namespaced()) {
            ns = Optional.ofNullable((String) params.get("namespace")).filter(s -> !s.isBlank())
                    .or(() -> Optional.of(incident.namespace()).filter(s -> !s.isBlank()))
                    .orElse("default");
        }
        return new Target(kind, ns, name);
    }

    static PatchContext patchContext(PatchType type, boolean dryRun) {
        return patchContext(type, dryRun, false);
    }

    /**
     * The patch context of a write: for server-side apply the field manager {@value #FIELD_MANAGER}, and
     * {@code force=true} only when {@code forceConflicts} (kubectl's {@code --force-conflicts}); {@code dryRun=All}
     * in a dry run.
     */
    static PatchContext patchContext(PatchType type, boolean dryRun, boolean forceConflicts) {
        var b = new PatchContext.Builder().withPatchType(type);
        if (type == PatchType.SERVER_SIDE_APPLY) {
            b.withFieldManager(FIELD_MANAGER);
            if (forceConflicts) {
                b.withForce(true);
            }
        }
        if (dryRun) {
            b.withDryRun(DRY_RUN_ALL);
        }
        return b.build();
    }

    /** Reads the object, failing clearly when it does not exist. */
    static GenericKubernetesResource read(KubernetesClient client, Target t) throws ActionException {
        GenericKubernetesResource r = t.on(client).get();
        if (r == null) {
            throw ActionException.permanent(t.describe() + " not found");
        }
        return r;
    }

    /** Whether a workload's {@code spec.paused} is true (a paused Deployment: its controller rolls nothing out). */
    static boolean paused(GenericKubernetesResource r) {
        return r.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec && Boolean.TRUE.equals(spec.get("paused"));
    }

    /** Work that reads fresh data, then writes with the resourceVersion it read. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws Exception;
    }

    /**
     * How long to wait before redoing an update that met a conflict: a short jittered backoff (client-go's
     * {@code RetryOnConflict} waits too), so writers that collided do not collide again in lockstep.
     */
    static final Backoff CONFLICT_BACKOFF = new Backoff(Duration.ofMillis(50), 2.0, Duration.ofSeconds(1),
            Backoff.Jitter.EQUAL, CONFLICT_ATTEMPTS);

    /**
     * Runs {@code attempt}, redoing it on fresh data when the server answers 409 Conflict, at most
     * {@value #CONFLICT_ATTEMPTS} times, waiting {@link #CONFLICT_BACKOFF} (within the attempt's deadline) between.
     */
    static <T> T retryingConflicts(ActionContext ctx, String what, Attempt<T> attempt) throws Exception {
        KubernetesClientException last = null;
        var jitter = Backoff.seeded(ctx.executionId() + "/" + ctx.stepName() + "/" + ctx.attempt() + "/" + what);
        for (int i = 1; CONFLICT_BACKOFF.allows(i); i++) {
            if (i > 1) {
                ctx.sleep(CONFLICT_BACKOFF.delayBefore(i, Optional.empty(), jitter, ctx.remaining(Duration.ofDays(1))));
            }
            try {
                return attempt.run();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                last = e;
                ctx.logger().debug("conflict on {} (attempt {}), retrying on fresh data: {}", what, i, e.getMessage());
            }
        }
        throw new ActionException(what + " kept conflicting with concurrent changes (" + CONFLICT_ATTEMPTS
                + " attempts, each on fresh data): " + statusMessage(last), true, last);
    }

    static ActionException translate(KubernetesClientException e, String action) {
        int code = e.getCode();
        String msg = statusMessage(e);
        return switch (code) {
            case 404 -> new ActionException(action + ": not found: " + msg, false, e);
            case 401 -> new ActionException(action + ": the cluster refused the credentials (401): " + msg, false, e);
            case 403 -> new ActionException(action + ": forbidden (403): " + msg
                    + "; grant the verbs listed for this action in runbook-k8s's README to the client's account", false, e);
            case 400, 415, 422 -> new ActionException(action + ": the API server rejected the request (" + code + "): " + msg,
                    false, e);
            case 409 -> new ActionException(action + ": conflict (409): " + msg, true, e);
            default -> new ActionException(action + ": " + (code > 0 ? "API server error (" + code + "): " : "request failed: ")
                    + msg, true, e).retryAfter(retryAfter(e));
        };
    }

    /** The API server's {@code Status.details.retryAfterSeconds} (429, 503), for the step's next wait. */
    static Optional<Duration> retryAfter(KubernetesClientException e) {
        return Optional.ofNullable(e.getStatus()).map(s -> s.getDetails()).map(d -> d.getRetryAfterSeconds())
                .flatMap(s -> RetryAfter.ofSeconds(s));
    }

    static String statusMessage(KubernetesClientException e) {
        if (e == null) {
            return "";
        }
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }

    /** The standard output map: what was done to which object, and whether it was a dry run. */
    static Map<String, Object> output(Target t, boolean dryRun) {
        var out = new LinkedHashMap<String, Object>();
        out.put("kind", t.kind().kind());
        out.put("namespace", t.namespace());
        out.put("name", t.name());
        out.put("dry_run", dryRun);
        return out;
    }

    static String prefix(boolean dryRun) {
        return dryRun ? "dry run: would have " : "";
    }
}
