/**
 * The demo's embedded stand-ins: a mock Kubernetes API with a simulated controller, the RCA graph a host like
 * kg-builder would have written, and a notification receiver on loopback. Not part of any API.
 */
package dev.runbook.examples.internal;
