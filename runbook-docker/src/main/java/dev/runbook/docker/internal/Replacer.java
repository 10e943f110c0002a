package dev.runbook.docker.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.docker.ContainerSpec;
import dev.runbook.docker.DockerEngineException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a container by one made from another spec under the same name: the engine's API has no in-place
 * update (Podman answers 404 to it). Create new, stop old, rename both, start new, check it keeps running,
 * remove old; the old one is kept (stopped) until the new one runs, and put back on any failure.
 */
public final class Replacer {
    private static final Duration POLL = Duration.ofMillis(250);
    private final Engine engine;
    private final int stopTimeoutSeconds;

    public Replacer(Engine engine, int stopTimeoutSeconds) {
        this.engine = engine;
        this.stopTimeoutSeconds = stopTimeoutSeconds;
    }

    /**
     * Replaces {@code current} by a container made from {@code target} (which gets current's name).
     *
     * @param startupGrace how long the new container must keep running before the old one is removed
     * @return the new container's id
     * @throws ActionException naming the container; the original is running again (when it was) unless the
     *                         message says restoring it failed too
     */
    public String replace(Engine.Info current, ContainerSpec target, Duration startupGrace, ActionContext ctx)
            throws ActionException, InterruptedException {
        String name = current.name();
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        String tmpName = name + "-rb-new-" + suffix;
        String oldName = name + "-rb-old-" + suffix;
        String newId;
        try {
            newId = engine.create(target.withName(tmpName));
        } catch (DockerEngineException e) {
            throw new ActionException("could not create the replacement of container '" + name + "': "
                    + e.getMessage() + "; container '" + name + "' was not touched", e.transientFailure(), e);
        }
        boolean stopped = false;
        boolean renamedOld = false;
        try {
            if (current.running()) {
                engine.stop(current.id(), stopTimeoutSeconds);
                stopped = true;
            }
            engine.rename(current.id(), oldName);
            renamedOld = true;
            engine.rename(newId, name);
            if (target.running()) {
                engine.start(newId);
                awaitStillRunning(newId, name, startupGrace, ctx);
            }
        } catch (DockerEngineException | ActionException | InterruptedException e) {
            String restored = restore(current, newId, name, stopped, renamedOld);
            String reason = e.getMessage();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ActionException("replacing container '" + name + "' on " + engine.host() + " failed: " + reason
                    + "; " + restored, false, e);
        }
        engine.remove(current.id());
        return newId;
    }

    private void awaitStillRunning(String id, String name, Duration grace, ActionContext ctx)
            throws ActionException, InterruptedException {
        Duration waited = Duration.ZERO;
        while (true) {
            Engine.Info now = engine.inspect(id);
            if (!now.running()) {
                List<String> tail = List.of();
                try {
                    tail = engine.logs(id, 5, java.util.Optional.empty());
                } catch (DockerEngineException e) {
                    // the exit code is the main fact; logs are a bonus
                }
                throw ActionException.permanent("the new container '" + name + "' stopped right after starting (status "
                        + now.status() + ", exit code " + now.exitCode() + (tail.isEmpty() ? "" : ", last output: "
                        + String.join(" | ", tail)) + ")");
            }
            if (waited.compareTo(grace) >= 0) {
                return;
            }
            Duration step = POLL.compareTo(grace.minus(waited)) < 0 ? POLL : grace.minus(waited);
            ctx.sleep(step);
            waited = waited.plus(step);
        }
    }

    private String restore(Engine.Info current, String newId, String name, boolean stopped, boolean renamedOld) {
        try {
            engine.remove(newId);
            if (renamedOld) {
                engine.rename(current.id(), name);
            }
            if (stopped) {
                engine.start(current.id());
            }
            return "the original container was restored" + (stopped ? " and is running again" : "");
        } catch (DockerEngineException e) {
            return "restoring the original container failed too (" + e.getMessage() + "); it is kept as "
                    + (renamedOld ? "'" + name + "-rb-old-*'" : "'" + name + "'") + " (id " + current.id()
                    + "): manual intervention required";
        }
    }
}
