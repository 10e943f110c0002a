/**
 * Kubernetes for runbooks on the fabric8 client: {@link dev.runbook.k8s.KubernetesActions} (kubectl's
 * actions with kubectl's semantics, dry run through {@code dryRun=All}), {@link dev.runbook.k8s.KubernetesWaitConditions}
 * ({@code pod/NAME ready} and friends for the {@code wait} action), {@link dev.runbook.k8s.KubernetesIncidentSource}
 * (incidents from what a cluster shows) and {@link dev.runbook.k8s.KubernetesClients} (which client serves which
 * cluster).
 */
package dev.runbook.k8s;
