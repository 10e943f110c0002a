package dev.runbook.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Creates docker-java clients with the httpclient5 transport, for a Unix socket or a TCP host. */
public final class DockerClients {
    /** Where a local Docker engine listens when neither {@link #HOST_PROPERTY} nor {@code DOCKER_HOST} is set. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    /** System property naming the engine (the CLI's {@code --docker-host}); it wins over {@code DOCKER_HOST}. */
    public static final String HOST_PROPERTY = "runbook.docker.host";
    /** The environment variable naming the engine, as the docker command reads it. */
    public static final String HOST_ENV = "DOCKER_HOST";

    private DockerClients() {
    }

    /**
     * The engine named by the system property {@value #HOST_PROPERTY}, else the environment variable
     * {@value #HOST_ENV}, else {@link #DEFAULT_HOST}. Blank values count as unset; the address is not checked here
     * ({@link #connect} and {@code DockerActions.builder().host} check it).
     */
    public static String hostFromEnvironment() {
        return host(System::getProperty, System::getenv);
    }

    static String host(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        return Optional.ofNullable(properties.apply(HOST_PROPERTY)).map(String::trim).filter(s -> !s.isEmpty())
                .or(() -> Optional.ofNullable(environment.apply(HOST_ENV)).map(String::trim).filter(s -> !s.isEmpty()))
                .orElse(DEFAULT_HOST);
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
