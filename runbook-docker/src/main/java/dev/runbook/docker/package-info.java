/**
 * The Docker monitor and executor of seed 002 on docker-java. This module is being built: so far it pins
 * docker-java with the httpclient5 transport (see the module's tests); the actions and the monitor come with
 * the runbook-docker issue.
 */
package dev.runbook.docker;
