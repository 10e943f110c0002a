/**
 * Kubernetes stand-ins shared by runbook-k8s's tests and the demo (one copy, not one per user):
 * {@link dev.runbook.k8s.testing.StandInDispatcher} is fabric8's CRUD mock server with stand-ins for what it lacks
 * (dry-run writes that change nothing, strategic merge and JSON merge patches, server-side apply as a merge,
 * evictions, a watch-close deadlock fixed), and {@link dev.runbook.k8s.testing.SimulatedController} plays the
 * Deployment and ReplicaSet controllers on it. What is proven only against these stand-ins (listed in runbook-k8s's
 * README: strategic-merge semantics, merge patches, apply results, dry-run non-persistence, evictions, rollouts
 * creating ReplicaSets and Ready pods) is proven against a simulation, not a real API server or controller manager;
 * the opt-in runs against a real cluster cover that.
 */
package dev.runbook.k8s.testing;
