package dev.runbook.docker.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import dev.runbook.docker.ContainerSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's settings beyond {@link dev.runbook.docker.ContainerSpec}'s own fields, as plain maps keyed by the
 * engine API's names: {@code Config} and {@code HostConfig} of the inspect (as docker-java models them) and
 * {@code Networks} (network name to {@code {Aliases: [...]}}). Captured whole, so that a recreated container keeps
 * published ports, mounts, capabilities, devices, healthcheck, log config, DNS and the rest without a field list
 * of ours; the settings the spec holds as fields are left out, so each setting lives in one place.
 */
public final class Settings {
    /** Key of the container config (create-time {@code Config}). */
    public static final String CONFIG = "Config";
    /** Key of the host config. */
    public static final String HOST_CONFIG = "HostConfig";
    /** Key of the networks and their aliases. */
    public static final String NETWORKS = "Networks";
    private static final String ALIASES = "Aliases";

    /** Config keys that ContainerSpec holds as fields. */
    private static final Set<String> SPEC_CONFIG = Set.of("Image", "Cmd", "Entrypoint", "Env", "Labels", "WorkingDir",
            "User");
    /** HostConfig keys that ContainerSpec holds as fields. */
    private static final Set<String> SPEC_HOST = Set.of("Memory", "MemorySwap", "NanoCpus", "CpuShares",
            "RestartPolicy", "NetworkMode", "Binds", "Tmpfs", "Ulimits");
    /** Network modes without networks of their own to attach to. */
    private static final Set<String> NO_NETWORKS = Set.of("none", "host");
    /** The default networks' names: Docker's, Podman's. */
    private static final Set<String> DEFAULT_NETWORKS = Set.of("bridge", "podman");

    /**
     * docker-java's models annotate their fields; their getters are not all properties (ContainerConfig has an
     * unannotated {@code getHealthcheck} that would add a second, lower-case key), so only fields are read.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .configure(MapperFeature.AUTO_DETECT_GETTERS, false)
            .configure(MapperFeature.AUTO_DETECT_IS_GETTERS, false)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Settings() {
    }

    /**
     * The settings of an inspected container (engine-assigned values such as its hostname and id alias left out).
     *
     * @param configExtras container-config fields docker-java's model lacks ({@link RawInspect})
     */
    static Map<String, Object> capture(InspectContainerResponse r, Map<String, Object> configExtras) {
        String shortId = r.getId() == null ? "" : r.getId().substring(0, Math.min(12, r.getId().length()));
        var config = new LinkedHashMap<String, Object>(tree(r.getConfig()));
        config.putAll(configExtras);
        SPEC_CONFIG.forEach(config::remove);
        // the engine names a container's host after its id unless one was given: a clone must get its own
        if (shortId.equals(config.get("Hostname"))) {
            config.remove("Hostname");
        }
        var host = new LinkedHashMap<String, Object>(tree(r.getHostConfig()));
        SPEC_HOST.forEach(host::remove);
        var networks = new LinkedHashMap<String, Object>();
        var ns = r.getNetworkSettings();
        if (ns != null && ns.getNetworks() != null) {
            ns.getNetworks().forEach((name, n) -> {
                var aliases = new ArrayList<String>();
                if (n.getAliases() != null) {
                    // the engine adds the container's short id as an alias on every network it joins
                    n.getAliases().stream().filter(a -> !a.equals(shortId) && !a.equals(r.getId()))
                            .forEach(aliases::add);
                }
                networks.put(name, Map.of(ALIASES, aliases));
            });
        }
        var out = new LinkedHashMap<String, Object>();
        out.put(CONFIG, config);
        out.put(HOST_CONFIG, host);
        out.put(NETWORKS, networks);
        return Plain.map(out);
    }

    private static Map<String, Object> tree(Object model) {
        if (model == null) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = MAPPER.convertValue(model, Map.class);
        return m;
    }

    /**
     * The settings for a clone (scale-out): published ports keep their container port and host address but get an
     * ephemeral host port, since the original holds the fixed one; a fixed MAC address is dropped for the same
     * reason. Everything else (volumes included: replicas share named volumes, as compose does) is kept.
     */
    public static Map<String, Object> forClone(Map<String, Object> settings) {
        var host = new LinkedHashMap<>(Plain.child(settings, HOST_CONFIG));
        var ports = new LinkedHashMap<String, Object>();
        Plain.child(host, "PortBindings").forEach((port, bindings) -> {
            var list = new ArrayList<Object>();
            if (bindings instanceof List<?> l) {
                for (Object b : l) {
                    if (b instanceof Map<?, ?> m) {
                        var copy = new LinkedHashMap<Object, Object>(m);
                        copy.put("HostPort", "");
                        list.add(copy);
                    }
                }
            }
            ports.put(port, list);
        });
        if (!ports.isEmpty()) {
            host.put("PortBindings", ports);
        }
        var config = new LinkedHashMap<>(Plain.child(settings, CONFIG));
        config.remove("MacAddress");
        var out = new LinkedHashMap<String, Object>(settings);
        out.put(CONFIG, config);
        out.put(HOST_CONFIG, host);
        return Plain.map(out);
    }

    /** The host config to create the spec's container with: its settings, then its fields over them. */
    static HostConfig hostConfig(ContainerSpec spec, String networkMode) {
        HostConfig hc = MAPPER.convertValue(Plain.child(spec.settings(), HOST_CONFIG), HostConfig.class);
        if (spec.memoryBytes() > 0) {
            hc = hc.withMemory(spec.memoryBytes());
            if (spec.memorySwapBytes() != 0) {
                hc = hc.withMemorySwap(spec.memorySwapBytes());
            }
        }
        if (spec.nanoCpus() > 0) {
            hc = hc.withNanoCPUs(spec.nanoCpus());
        }
        if (spec.cpuShares() > 0) {
            hc = hc.withCpuShares(spec.cpuShares());
        }
        if (!spec.restartPolicy().isEmpty() && !spec.restartPolicy().equals("no")) {
            hc = hc.withRestartPolicy(RestartPolicy.parse(spec.restartPolicy()));
        }
        if (!networkMode.isEmpty()) {
            hc = hc.withNetworkMode(networkMode);
        }
        if (!spec.binds().isEmpty()) {
            hc = hc.withBinds(spec.binds().stream().map(Bind::parse).toList());
        }
        if (!spec.tmpfs().isEmpty()) {
            hc = hc.withTmpFs(spec.tmpfs());
        }
        if (!spec.ulimits().isEmpty()) {
            var ul = new ArrayList<Ulimit>();
            spec.ulimits().forEach((n, v) -> {
                String[] sh = v.split(":", 2);
                ul.add(new Ulimit(n, Long.parseLong(sh[0]), Long.parseLong(sh.length > 1 ? sh[1] : sh[0])));
            });
            hc = hc.withUlimits(ul);
        }
        return hc;
    }

    /** Sets the container config of these settings on a create command. */
    static CreateContainerCmd applyConfig(Map<String, Object> settings, CreateContainerCmd cmd) {
        ContainerConfig c = MAPPER.convertValue(Plain.child(settings, CONFIG), ContainerConfig.class);
        if (c.getHostName() != null) {
            cmd = cmd.withHostName(c.getHostName());
        }
        if (c.getDomainName() != null) {
            cmd = cmd.withDomainName(c.getDomainName());
        }
        if (c.getExposedPorts() != null) {
            cmd = cmd.withExposedPorts(c.getExposedPorts());
        }
        if (c.getHealthcheck() != null) {
            cmd = cmd.withHealthcheck(c.getHealthcheck());
        }
        if (c.getMacAddress() != null && !c.getMacAddress().isEmpty()) {
            cmd = cmd.withMacAddress(c.getMacAddress());
        }
        if (c.getVolumes() != null) {
            cmd = cmd.withVolumes(c.getVolumes().keySet().stream().map(Volume::new).toList());
        }
        if (c.getOnBuild() != null) {
            cmd = cmd.withOnBuild(Arrays.asList(c.getOnBuild()));
        }
        if (c.getPortSpecs() != null) {
            cmd = cmd.withPortSpecs(c.getPortSpecs());
        }
        // the create command's setters reject null: only what the original had is set
        if (c.getAttachStdin() != null) {
            cmd = cmd.withAttachStdin(c.getAttachStdin());
        }
        if (c.getAttachStdout() != null) {
            cmd = cmd.withAttachStdout(c.getAttachStdout());
        }
        if (c.getAttachStderr() != null) {
            cmd = cmd.withAttachStderr(c.getAttachStderr());
        }
        if (c.getTty() != null) {
            cmd = cmd.withTty(c.getTty());
        }
        if (c.getStdinOpen() != null) {
            cmd = cmd.withStdinOpen(c.getStdinOpen());
        }
        if (c.getStdInOnce() != null) {
            cmd = cmd.withStdInOnce(c.getStdInOnce());
        }
        if (c.getNetworkDisabled() != null) {
            cmd = cmd.withNetworkDisabled(c.getNetworkDisabled());
        }
        // not in docker-java's ContainerConfig: read from the map (RawInspect put them there)
        Map<String, Object> config = Plain.child(settings, CONFIG);
        if (config.get("StopSignal") instanceof String signal) {
            cmd = cmd.withStopSignal(signal);
        }
        if (config.get("StopTimeout") instanceof Number timeout) {
            cmd = cmd.withStopTimeout(timeout.intValue());
        }
        return cmd;
    }

    /** The networks to attach, by name, with their aliases; none for network modes that have none. */
    static Map<String, List<String>> networks(Map<String, Object> settings, String networkMode) {
        var out = new LinkedHashMap<String, List<String>>();
        if (NO_NETWORKS.contains(networkMode) || networkMode.startsWith("container:")) {
            return out;
        }
        Plain.child(settings, NETWORKS).forEach((name, n) -> out.put(name, n instanceof Map<?, ?> m
                ? Plain.strings(Plain.map(m), ALIASES) : List.of()));
        return out;
    }

    /**
     * The network to create the container on. Podman reports {@code bridge} as the mode of a container created on a
     * named network; when the container is on no default network, its first network is the primary one.
     */
    static String primaryNetwork(String networkMode, Map<String, List<String>> networks) {
        boolean defaultMode = networkMode.isEmpty() || networkMode.equals("bridge") || networkMode.equals("default");
        if (defaultMode && !networks.isEmpty() && networks.keySet().stream().noneMatch(DEFAULT_NETWORKS::contains)) {
            return networks.keySet().iterator().next();
        }
        return networkMode;
    }
}
