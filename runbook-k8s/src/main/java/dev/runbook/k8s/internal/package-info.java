/** Implementation of the Kubernetes actions, wait conditions and incident source; not an API. */
package dev.runbook.k8s.internal;
