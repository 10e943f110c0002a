package dev.runbook.mcp.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.KillSwitch;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.docker.DockerActions;
import dev.runbook.k8s.KubernetesActions;
import dev.runbook.mcp.MutationPolicy;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one {@link RunbookEngine}: the library compiled once at start, one guard store, one kill switch, one
 * set of threads, for every tool call of every client. A tool call's one-step runbook runs on it as an ad-hoc
 * runbook ({@link RunbookEngine#handle(Runbook, Incident, String)}); each execution is recorded as executed by its
 * client ({@code mcp:<client name>}) and approved as the {@link MutationPolicy} says for that client.
 */
public final class EngineWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineWiring.class);
    /** The caller of the execution this thread is handling: the engine asks its approval guard on that thread. */
    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    private final List<Runbook> library;
    private final List<ActionProvider> providers;
    private final List<AutoCloseable> discovered;
    private final List<Action> actionTools;
    private final Set<String> kubernetesTools;
    private final RunbookEngine engine;
    private final Approvals approvals;
    private final int recentCapacity;
    private final Deque<Execution> recent = new ArrayDeque<>();

    /**
     * @param library    the runbooks (each run with {@code require_approval} on)
     * @param docker     the Docker actions (their tools have seed 002's names)
     * @param hosts      the host's other providers
     * @param discover   whether to add the providers ServiceLoader finds
     * @param reserved   tool names no action may take
     */
    public EngineWiring(List<Runbook> library, DockerActions docker, List<ActionProvider> hosts, boolean discover,
                        Set<String> reserved, GuardStore guards, Clock clock, MutationPolicy policy,
                        Optional<String> approver, int recentCapacity) {
        this.library = List.copyOf(library);
        this.recentCapacity = recentCapacity;
        // one instance of each discovered provider for the server's life (a per-call discovery would open a Neo4j
        // driver per call); the registry's builder decides which survive (a configured one replaces a discovered one
        // with its id) and refuses duplicate ids and reserved names
        var registry = ActionRegistry.builder().provider(docker);
        hosts.forEach(registry::provider);
        List<ActionProvider> found = discover ? ActionRegistry.discover(EngineWiring.class.getClassLoader()) : List.of();
        this.providers = registry.discovered(found).build().providers();
        var closeable = new ArrayList<AutoCloseable>();
        for (ActionProvider p : found) {
            if (p instanceof AutoCloseable c && providers.stream().anyMatch(kept -> kept == p)) {
                closeable.add(c);
            }
        }
        this.discovered = List.copyOf(closeable);
        var tools = new ArrayList<Action>();
        var k8s = new HashSet<String>();
        var names = new HashSet<>(reserved);
        for (ActionProvider p : providers) {
            if (p instanceof DockerActions || p instanceof BuiltinActions) {
                continue;
            }
            for (Action a : p.actions()) {
                if (names.add(a.name())) {
                    tools.add(a);
                    if (p instanceof KubernetesActions) {
                        k8s.add(a.name());
                    }
                }
            }
        }
        this.actionTools = List.copyOf(tools);
        this.kubernetesTools = Set.copyOf(k8s);
        this.approvals = new Approvals(policy, approver, clock, () -> Optional.ofNullable(CURRENT.get())
                .orElseGet(Caller::none));
        // the server's own class loader: under HTTP the calling thread's context loader is the servlet container's
        var b = RunbookEngine.builder().classLoader(EngineWiring.class.getClassLoader()).discoverActions(false)
                .runbooks(requiringApproval(library)).guardStore(guards).clock(clock).executedBy("mcp:runbook-mcp");
        providers.forEach(b::actionProvider);
        approvals.configure(b);
        // compiles the library once, now: a broken runbook fails at start, not at the first call
        this.engine = b.build();
    }

    /** The engine (one per server). */
    public RunbookEngine engine() {
        return engine;
    }

    /** The engine's kill switch: engaged, it refuses every new execution of every tool and runbook. */
    public KillSwitch killSwitch() {
        return engine.killSwitch();
    }

    /** How changes are approved. */
    public Approvals approvals() {
        return approvals;
    }

    /** The actions served as tools of their own name. */
    public List<Action> actionTools() {
        return actionTools;
    }

    /** Whether this action tool is a Kubernetes action (it takes {@code cluster}). */
    public boolean kubernetes(String action) {
        return kubernetesTools.contains(action);
    }

    /** The library runbooks. */
    public List<Runbook> library() {
        return library;
    }

    /** Which library runbooks match, and why the others do not. */
    public MatchReport explain(Incident incident) {
        return engine.explain(incident);
    }

    /** The library's dry run for this caller; not recorded. */
    public Execution plan(Incident incident, Caller caller) {
        return as(caller, () -> engine.plan(incident, caller.executedBy()));
    }

    /** The library's remediation for this caller; recorded. */
    public Execution handle(Incident incident, Caller caller) {
        return record(as(caller, () -> engine.handle(incident, caller.executedBy())));
    }

    /** A tool call's one-step runbook for this caller, on the same engine; recorded. */
    public Execution run(Runbook call, Incident incident, Caller caller) {
        return record(as(caller, () -> engine.handle(call, incident, caller.executedBy())));
    }

    private static Execution as(Caller caller, Supplier<Execution> work) {
        Caller before = CURRENT.get();
        CURRENT.set(caller);
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    private synchronized Execution record(Execution e) {
        recent.addFirst(e);
        while (recent.size() > recentCapacity) {
            recent.removeLast();
        }
        return e;
    }

    /** The latest executions, newest first. */
    public synchronized List<Execution> recent() {
        return List.copyOf(recent);
    }

    /** Closes the engine (running executions finish or roll back), then the providers discovered here. */
    @Override
    public void close() {
        engine.close();
        for (AutoCloseable c : discovered) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", c, e);
            }
        }
    }

    /** The runbooks with {@code require_approval} set, so every execution the server starts asks the policy. */
    public static List<Runbook> requiringApproval(Collection<Runbook> runbooks) {
        return runbooks.stream().map(rb -> rb.safety().requireApproval() ? rb
                : rb.toBuilder().safety(requiringApproval(rb.safety())).build()).toList();
    }

    /** A copy of the safety with {@code require_approval} on and every other field kept. */
    public static Safety requiringApproval(Safety s) {
        var b = Safety.builder().requireApproval(true).dryRunFirst(s.dryRunFirst()).minConfidence(s.minConfidence())
                .maxActionPerResourcePerHour(s.maxActionPerResourcePerHour()).allowedNamespaces(s.allowedNamespaces())
                .envWhitelist(s.envWhitelist()).resumeOnRecovery(s.resumeOnRecovery());
        s.maxExecutionsPerHour().ifPresent(b::maxExecutionsPerHour);
        s.blastRadiusLimit().ifPresent(b::blastRadiusLimit);
        s.cooldown().ifPresent(b::cooldown);
        s.minActionSpacing().ifPresent(b::minActionSpacing);
        s.maxExecutionsPerResourcePerHour().ifPresent(b::maxExecutionsPerResourcePerHour);
        s.maxActionsPerHour().ifPresent(b::maxActionsPerHour);
        s.replicas().ifPresent(r -> b.replicas(r.min(), r.max()));
        s.pauseAfter().ifPresent(p -> b.pauseAfter(p.failures(), p.within()));
        return b.build();
    }
}
