/** Small helpers shared inside runbook-core; not API. */
package dev.runbook.core.internal;
