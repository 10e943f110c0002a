/**
 * Kubernetes actions and incident source on the fabric8 client. This module is being built: so far it
 * pins the client and its mock server (see the module's tests); the actions come with the runbook-k8s issue.
 */
package dev.runbook.k8s;
