package dev.runbook.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container-config fields docker-java's inspect model does not carry ({@code StopSignal}, {@code StopTimeout}),
 * read from the engine's own inspect JSON, so that a recreated container stops as the original did. Empty when the
 * client is not docker-java's own (a test double) or the call fails: the recreation then keeps the engine's
 * defaults for them, as before.
 */
final class RawInspect {
    private static final Logger LOG = LoggerFactory.getLogger(RawInspect.class);

    private RawInspect() {
    }

    /** {@code StopSignal} and {@code StopTimeout} of the container's config, those it has. */
    static Map<String, Object> stopSettings(DockerClient client, String id) {
        var out = new LinkedHashMap<String, Object>();
        if (!(client instanceof DockerClientImpl impl)) {
            return out;
        }
        var request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path("/containers/" + id + "/json").build();
        try (DockerHttpClient.Response response = impl.getHttpClient().execute(request);
             InputStream body = response.getBody()) {
            if (response.getStatusCode() != 200) {
                return out;
            }
            var config = Settings.MAPPER.readTree(body).path("Config");
            if (config.path("StopSignal").isTextual() && !config.path("StopSignal").asText().isEmpty()) {
                out.put("StopSignal", config.path("StopSignal").asText());
            }
            if (config.path("StopTimeout").isIntegralNumber()) {
                out.put("StopTimeout", config.path("StopTimeout").asLong());
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("could not read the stop settings of container {}: {}", id, e.toString());
        }
        return out;
    }
}
