package dev.runbook.docker;

import dev.runbook.docker.internal.Plain;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What it takes to recreate a container: every setting it was created with. The settings actions change or
 * read (image, command, env, labels, limits, network mode, binds, restart policy) are fields; everything else the
 * engine reports (published ports, mounts, capabilities, devices, healthcheck, log config, DNS, extra hosts,
 * security options, extra networks with their aliases, ...) is in {@link #settings()}, so that a recreated
 * container keeps it. Recorded by every mutating action in the {@link ContainerHistory} so that
 * {@code rollback-deployment} can restore it; plain values only, so a persistent history can store it as it likes.
 *
 * <p>{@code StopSignal} and {@code StopTimeout}, which docker-java's model of the inspect does not carry, are read
 * from the engine's inspect JSON into the settings' {@code Config}. Ulimits: Podman reports its defaults too, as
 * {@code RLIMIT_*}; when they differ from the engine's defaults (learnt from a probe container) they are all kept,
 * under their create-time names. Not kept: {@code Shell} (build-time only).
 *
 * @param name            the container's name (its identity across recreations: ids change)
 * @param image           the image reference
 * @param cmd             the command (empty: the image's)
 * @param entrypoint      the entrypoint (empty: the image's)
 * @param env             environment variables, in order
 * @param labels          labels
 * @param workingDir      working directory, empty for the image's
 * @param user            user, empty for the image's
 * @param memoryBytes     memory limit in bytes, 0 for none
 * @param memorySwapBytes memory plus swap limit in bytes, 0 for the engine's default
 * @param nanoCpus        CPU limit in billionths of a CPU, 0 for none
 * @param cpuShares       relative CPU weight, 0 for the default
 * @param restartPolicy   {@code no}, {@code always}, {@code unless-stopped} or {@code on-failure:N}
 * @param networkMode     {@code bridge}, {@code none}, {@code host}, a network name, or empty for the default
 * @param binds           volume binds as {@code source:target[:mode]}
 * @param tmpfs           tmpfs mounts, path to options
 * @param ulimits         ulimits, name ({@code nofile}) to {@code soft:hard}
 * @param running         whether the container was running when the spec was taken
 * @param settings        every other setting, as plain maps keyed by the engine API's names: {@code Config} and
 *                        {@code HostConfig} (without the keys above) and {@code Networks} (name to
 *                        {@code {Aliases: [...]}}); empty for none. Numbers are kept as {@code Long} or
 *                        {@code Double} and null entries dropped, so a stored and reloaded spec equals the original
 */
public record ContainerSpec(String name, String image, List<String> cmd, List<String> entrypoint,
                            Map<String, String> env, Map<String, String> labels, String workingDir, String user,
                            long memoryBytes, long memorySwapBytes, long nanoCpus, int cpuShares, String restartPolicy,
                            String networkMode, List<String> binds, Map<String, String> tmpfs,
                            Map<String, String> ulimits, boolean running, Map<String, Object> settings) {
    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        cmd = List.copyOf(cmd);
        entrypoint = List.copyOf(entrypoint);
        env = ordered(env);
        labels = ordered(labels);
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(networkMode, "networkMode");
        binds = List.copyOf(binds);
        tmpfs = ordered(tmpfs);
        ulimits = ordered(ulimits);
        settings = Plain.map(Objects.requireNonNull(settings, "settings"));
    }

    /** A spec with no settings beyond the fields (the engine's defaults for everything else). */
    public ContainerSpec(String name, String image, List<String> cmd, List<String> entrypoint,
                         Map<String, String> env, Map<String, String> labels, String workingDir, String user,
                         long memoryBytes, long memorySwapBytes, long nanoCpus, int cpuShares, String restartPolicy,
                         String networkMode, List<String> binds, Map<String, String> tmpfs,
                         Map<String, String> ulimits, boolean running) {
        this(name, image, cmd, entrypoint, env, labels, workingDir, user, memoryBytes, memorySwapBytes, nanoCpus,
                cpuShares, restartPolicy, networkMode, binds, tmpfs, ulimits, running, Map.of());
    }

    private static Map<String, String> ordered(Map<String, String> in) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(in)));
    }

    /** A copy with another name. */
    public ContainerSpec withName(String newName) {
        return new ContainerSpec(newName, image, cmd, entrypoint, env, labels, workingDir, user, memoryBytes,
                memorySwapBytes, nanoCpus, cpuShares, restartPolicy, networkMode, binds, tmpfs, ulimits, running,
                settings);
    }

    /** A copy with another environment. */
    public ContainerSpec withEnv(Map<String, String> newEnv) {
        return new ContainerSpec(name, image, cmd, entrypoint, newEnv, labels, workingDir, user, memoryBytes,
                memorySwapBytes, nanoCpus, cpuShares, restartPolicy, networkMode, binds, tmpfs, ulimits, running,
                settings);
    }

    /** A copy with other labels. */
    public ContainerSpec withLabels(Map<String, String> newLabels) {
        return new ContainerSpec(name, image, cmd, entrypoint, env, newLabels, workingDir, user, memoryBytes,
                memorySwapBytes, nanoCpus, cpuShares, restartPolicy, networkMode, binds, tmpfs, ulimits, running,
                settings);
    }

    /** A copy with other settings (see {@link #settings()}). */
    public ContainerSpec withSettings(Map<String, Object> newSettings) {
        return new ContainerSpec(name, image, cmd, entrypoint, env, labels, workingDir, user, memoryBytes,
                memorySwapBytes, nanoCpus, cpuShares, restartPolicy, networkMode, binds, tmpfs, ulimits, running,
                newSettings);
    }

    /** Whether both describe the same container configuration (name and running state aside). */
    public boolean sameConfigAs(ContainerSpec other) {
        return withName("").withRunning(false).equals(other.withName("").withRunning(false));
    }

    private ContainerSpec withRunning(boolean r) {
        return new ContainerSpec(name, image, cmd, entrypoint, env, labels, workingDir, user, memoryBytes,
                memorySwapBytes, nanoCpus, cpuShares, restartPolicy, networkMode, binds, tmpfs, ulimits, r, settings);
    }
}
