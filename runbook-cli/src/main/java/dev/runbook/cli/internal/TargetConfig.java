package dev.runbook.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where plan's action providers connect, from flags or the environment, handed to the providers as system
 * properties they read: {@code runbook.k8s.context}, {@code runbook.neo4j.uri}, {@code runbook.neo4j.user},
 * {@code runbook.neo4j.password}, {@code runbook.docker.host} and {@code DOCKER_HOST} (docker-java reads that
 * system property as well as the environment variable).
 *
 * @param properties    the system properties to set
 * @param targets       what is configured, for people (no secrets)
 * @param callProviders whether providers are called even with no target (for providers that need none)
 */
record TargetConfig(Map<String, String> properties, List<String> targets, boolean callProviders) {
    TargetConfig {
        properties = Map.copyOf(properties);
        targets = List.copyOf(targets);
    }

    static TargetConfig resolve(CliEnvironment env, String kubeContext, String neo4jUri, String neo4jUser,
                                String neo4jPassword, String dockerHost, boolean callProviders) {
        var props = new LinkedHashMap<String, String>();
        var targets = new ArrayList<String>();
        Optional<String> ctx = pick(kubeContext, env, "RUNBOOK_K8S_CONTEXT");
        ctx.ifPresent(c -> {
            props.put("runbook.k8s.context", c);
            targets.add("kubernetes context " + c);
        });
        if (ctx.isEmpty()) {
            env.get("KUBECONFIG").ifPresent(k -> targets.add("kubernetes from KUBECONFIG " + k));
        }
        pick(neo4jUri, env, "RUNBOOK_NEO4J_URI").ifPresent(u -> {
            props.put("runbook.neo4j.uri", u);
            targets.add("neo4j " + u);
        });
        pick(neo4jUser, env, "RUNBOOK_NEO4J_USER").ifPresent(u -> props.put("runbook.neo4j.user", u));
        pick(neo4jPassword, env, "RUNBOOK_NEO4J_PASSWORD").ifPresent(p -> props.put("runbook.neo4j.password", p));
        pick(dockerHost, env, "DOCKER_HOST").ifPresent(h -> {
            props.put("runbook.docker.host", h);
            props.put("DOCKER_HOST", h);
            targets.add("docker " + h);
        });
        return new TargetConfig(props, targets, callProviders);
    }

    private static Optional<String> pick(String flag, CliEnvironment env, String variable) {
        return flag != null && !flag.isBlank() ? Optional.of(flag) : env.get(variable);
    }

    /** Whether the providers are called (in dry-run mode) rather than replaced by stand-ins. */
    boolean callsProviders() {
        return callProviders || !targets.isEmpty();
    }

    /** Sets the properties until the returned handle is closed, then restores the previous values. */
    Applied apply() {
        var previous = new LinkedHashMap<String, Optional<String>>();
        properties.forEach((k, v) -> {
            previous.put(k, Optional.ofNullable(System.getProperty(k)));
            System.setProperty(k, v);
        });
        return () -> previous.forEach((k, v) -> {
            if (v.isPresent()) {
                System.setProperty(k, v.get());
            } else {
                System.clearProperty(k);
            }
        });
    }

    /** Restores the system properties. */
    interface Applied extends AutoCloseable {
        @Override
        void close();
    }
}
