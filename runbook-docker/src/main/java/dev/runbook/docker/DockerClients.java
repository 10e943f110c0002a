package dev.runbook.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.Optional;

/** Creates docker-java clients with the httpclient5 transport, for a Unix socket or a TCP host. */
public final class DockerClients {
    /** Where a local Docker engine listens when {@code DOCKER_HOST} is not set. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private DockerClients() {
    }

    /** The engine named by {@code DOCKER_HOST}, or {@link #DEFAULT_HOST}. */
    public static String hostFromEnvironment() {
        return Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(s -> !s.isBlank()).orElse(DEFAULT_HOST);
    }

    /** A client for {@link #hostFromEnvironment()}. Nothing is contacted until the first call. */
    public static DockerClient fromEnvironment() {
        return connect(hostFromEnvironment());
    }

    /**
     * Checks an engine address.
     *
     * @throws IllegalArgumentException when it is not a {@code unix://} or {@code tcp://} URI
     */
    public static void checkHost(String host) {
        if (host == null || !(host.startsWith("unix://") || host.startsWith("tcp://") || host.startsWith("npipe://"))) {
            throw new IllegalArgumentException("Docker host '" + host + "' must look like unix:///var/run/docker.sock "
                    + "or tcp://HOST:2375");
        }
    }

    /**
     * A client for this engine, such as {@code unix:///run/podman/podman.sock} or {@code tcp://10.0.0.5:2375}.
     * Nothing is contacted until the first call.
     *
     * @throws IllegalArgumentException when the address is not a {@code unix://} or {@code tcp://} URI
     */
    public static DockerClient connect(String host) {
        checkHost(host);
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .maxConnections(20)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
