package dev.runbook.neo4j;

/** The RCA graph cannot give an incident: it is missing, or its data does not fit the {@link GraphSchema}. */
public class IncidentContextException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String incidentId;

    public IncidentContextException(String incidentId, String message) {
        super(message);
        this.incidentId = incidentId;
    }

    public IncidentContextException(String incidentId, String message, Throwable cause) {
        super(message, cause);
        this.incidentId = incidentId;
    }

    /** The incident id asked for. */
    public String incidentId() {
        return incidentId;
    }
}
