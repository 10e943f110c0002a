package dev.runbook.docker;

/**
 * A call to the Docker engine failed; the message names the engine's address and the container concerned
 * (docker-java's own socket errors name neither).
 */
public class DockerEngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean transientFailure;

    public DockerEngineException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Whether retrying may help (the engine was unreachable or timed out). */
    public boolean transientFailure() {
        return transientFailure;
    }
}
