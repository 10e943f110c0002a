/**
 * The Docker monitor and executor of seed 002 on docker-java: {@link dev.runbook.docker.DockerActions} (the
 * remediation actions, an {@link dev.runbook.core.action.ActionProvider}), {@link dev.runbook.docker.DockerSafety}
 * (the seed's safety profile as a core {@link dev.runbook.core.model.Safety}) and
 * {@link dev.runbook.docker.ContainerMonitor} (raises incidents from container stats and logs) and
 * {@link dev.runbook.docker.DockerRecovery} (repairs, at start, container recreates a crash of the host left half done).
 */
package dev.runbook.docker;
