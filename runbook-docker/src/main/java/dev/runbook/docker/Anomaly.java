package dev.runbook.docker;

/** The anomalies {@link ContainerMonitor} raises, as the incident's {@code root_cause_reason}. */
public enum Anomaly {
    /** Memory usage over the threshold (default 80%) of the container's limit. */
    MEMORY_SPIKE,
    /** CPU over the threshold (default 90% of one core), from two successive samples. */
    CPU_OVERLOAD,
    /** Over the threshold (default 5%) of recent log lines match the error patterns. */
    HIGH_ERROR_RATE,
    /**
     * The container exited with code 137 while a memory limit was set: killed by the kernel's OOM killer
     * (Podman never sets {@code OOMKilled}, so the exit code is the evidence).
     */
    OOM_KILLED
}
