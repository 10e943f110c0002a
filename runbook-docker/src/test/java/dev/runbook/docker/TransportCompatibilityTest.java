package dev.runbook.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-java with the httpclient5 transport on this module's class path: slf4j 2 (not the 1.7 docker-java
 * would bring), and what a client for a Unix socket does when no engine listens there: a SocketException
 * that does not name the socket, so this module's own errors must add the path (the runbook-docker issue).
 */
class TransportCompatibilityTest {

    @Test
    void slf4jTwoIsOnTheClassPath() throws Exception {
        assertThat(Class.forName("org.slf4j.spi.SLF4JServiceProvider")).isInterface();
    }

    @Test
    void aMissingEngineSocketIsAClearError(@TempDir Path dir) {
        Path socket = dir.resolve("podman.sock");
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + socket).build();
        var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(2)).build();
        try (var client = DockerClientImpl.getInstance(config, http)) {
            assertThat(config.getDockerHost().toString()).isEqualTo("unix://" + socket);
            assertThatThrownBy(() -> client.pingCmd().exec()).hasRootCauseInstanceOf(java.net.SocketException.class)
                    .hasStackTraceContaining("No such file or directory");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
