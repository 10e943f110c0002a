/**
 * A custom action a platform team adds to Runbook: {@code create_ticket} opens a ticket through a webhook.
 * Copy {@link dev.runbook.examples.ticket.TicketActions}, {@link dev.runbook.examples.ticket.CreateTicketAction}
 * and {@code META-INF/services/dev.runbook.core.action.ActionProvider}.
 */
package dev.runbook.examples.ticket;
