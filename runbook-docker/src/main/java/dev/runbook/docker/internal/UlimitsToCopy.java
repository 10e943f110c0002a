package dev.runbook.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Ulimit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ulimits of an inspected container a replacement must be created with. Docker reports only the ulimits set
 * at creation, by their create-time names ({@code nofile}): those are copied as they are. Podman reports every
 * ulimit in force, its configured defaults included, as {@code RLIMIT_NOFILE}, {@code RLIMIT_NPROC}, ...; given
 * back wholesale they replace those defaults and runc may fail to set them. So for Podman the engine's defaults
 * are learnt once per image from a probe container (created, inspected and removed, never started). When the
 * container's differ from them (someone set one), all of them are copied, under their create-time names: given any
 * ulimit, Podman drops every configured default, and runc then fails on the host's own limits.
 */
final class UlimitsToCopy {
    private static final Logger LOG = LoggerFactory.getLogger(UlimitsToCopy.class);
    private static final String PODMAN_PREFIX = "RLIMIT_";
    /**
     * The engine's defaults by image; empty for an image whose probe failed (one without a command cannot be created
     * bare), so a failing probe is not repeated on every inspect.
     */
    private final Map<String, Optional<Map<String, String>>> defaults = new ConcurrentHashMap<>();

    /** Name ({@code nofile}) to {@code soft:hard} of the ulimits to set on a replacement of this container. */
    Map<String, String> of(Ulimit[] reported, DockerClient raw, String image) {
        var out = new LinkedHashMap<String, String>();
        if (reported == null) {
            return out;
        }
        var podman = new LinkedHashMap<String, String>();
        for (Ulimit u : reported) {
            String name = u.getName();
            if (name == null) {
                continue;
            }
            String value = u.getSoftLong() + ":" + u.getHardLong();
            if (name.startsWith(PODMAN_PREFIX)) {
                podman.put(name, value);
            } else {
                out.put(name, value);
            }
        }
        if (podman.isEmpty()) {
            return out;
        }
        // Unknown defaults, or all at their defaults: leave them to the engine, as a plain create would. Else give
        // them all, since with any ulimit given Podman drops every configured default.
        Optional<Map<String, String>> engineDefaults = defaults(raw, image);
        if (engineDefaults.isPresent() && !engineDefaults.get().equals(podman)) {
            podman.forEach((name, value) -> out.put(name.substring(PODMAN_PREFIX.length()).toLowerCase(Locale.ROOT), value));
        }
        return out;
    }

    private Optional<Map<String, String>> defaults(DockerClient raw, String image) {
        Optional<Map<String, String>> known = defaults.get(image);
        if (known != null) {
            return known;
        }
        String id = null;
        try {
            id = raw.createContainerCmd(image).withName("runbook-ulimit-probe-" + UUID.randomUUID())
                    .withLabels(Map.of("dev.runbook.probe", "ulimits")).exec().getId();
            var probed = new LinkedHashMap<String, String>();
            Ulimit[] ulimits = raw.inspectContainerCmd(id).exec().getHostConfig().getUlimits();
            if (ulimits != null) {
                for (Ulimit u : ulimits) {
                    probed.put(u.getName(), u.getSoftLong() + ":" + u.getHardLong());
                }
            }
            defaults.put(image, Optional.of(Map.copyOf(probed)));
            return defaults.get(image);
        } catch (RuntimeException e) {
            LOG.debug("could not learn the engine's default ulimits from image {}; ulimits are left to the engine: {}",
                    image, e.toString());
            defaults.put(image, Optional.empty());
            return Optional.empty();
        } finally {
            if (id != null) {
                try {
                    raw.removeContainerCmd(id).withForce(true).exec();
                } catch (RuntimeException e) {
                    LOG.warn("could not remove the ulimit probe container {}: {}", id, e.toString());
                }
            }
        }
    }
}
