/**
 * The action SPI: {@link dev.runbook.core.action.Action}s grouped by
 * {@link dev.runbook.core.action.ActionProvider}s registered through {@link java.util.ServiceLoader},
 * their {@link dev.runbook.core.action.ParamSchema}, and the {@link dev.runbook.core.action.ActionContext}
 * they run with.
 */
package dev.runbook.core.action;
