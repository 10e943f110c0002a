package dev.runbook.neo4j;

/** No event with the incident's id exists: {@code incident 'x' not found: no :Episodic {eid: 'x'}}. */
public final class IncidentNotFoundException extends IncidentContextException {
    private static final long serialVersionUID = 1L;

    public IncidentNotFoundException(String incidentId, GraphSchema schema) {
        super(incidentId, "incident '" + incidentId + "' not found: no :" + schema.episodicLabel() + " {"
                + schema.eventIdProperty() + ": '" + incidentId + "'}");
    }
}
