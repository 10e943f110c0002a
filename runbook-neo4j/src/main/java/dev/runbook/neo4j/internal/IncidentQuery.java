package dev.runbook.neo4j.internal;

import static dev.runbook.neo4j.internal.Cypher.quote;

import dev.runbook.core.model.CausalLink;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.neo4j.GraphSchema;
import dev.runbook.neo4j.IncidentContextException;
import java.util.ArrayList;
import java.util.List;

import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * The seed's {@code incident_context} query, extended: the symptom, its resource, the highest-confidence cause
 * (ties broken by the cause's id so the answer is stable), the longest causal chain behind the cause up to the
 * configured depth (ties: highest product of confidences), and the controller (the resource's controller
 * property, else the farthest owner within 3 owner hops).
 */
public final class IncidentQuery {
    private final GraphSchema s;
    private final String text;

    public IncidentQuery(GraphSchema schema) {
        this.s = schema;
        String ep = quote(s.episodicLabel());
        String eid = quote(s.eventIdProperty());
        String reason = quote(s.reasonProperty());
        String conf = quote(s.confidenceProperty());
        String cause = quote(s.causeRelationship());
        // the depth is a validated int from configuration: variable-length bounds cannot be parameters
        int behind = s.maxChainDepth() - 1;
        String chain = behind == 0
                ? "  RETURN [] AS chain_nodes, [] AS chain_confidences\n"
                : "  OPTIONAL MATCH path = (cause)<-[:" + cause + "*1.." + behind + "]-(:" + ep + ")\n"
                + "  WITH path ORDER BY length(path) DESC,\n"
                + "       reduce(p = 1.0, x IN relationships(path) | p * coalesce(x." + conf + ", 0.0)) DESC LIMIT 1\n"
                + "  RETURN [n IN nodes(path) | {eid: n." + eid + ", reason: n." + reason + "}] AS chain_nodes,\n"
                + "         [x IN relationships(path) | coalesce(x." + conf + ", 0.0)] AS chain_confidences\n";
        this.text = "MATCH (symptom:" + ep + " {" + eid + ": $incident_id})\n"
                + "WITH symptom LIMIT 1\n"
                + "OPTIONAL MATCH (symptom)-[:" + quote(s.aboutRelationship()) + "]->(resource:" + quote(s.resourceLabel()) + ")\n"
                + "WITH symptom, resource ORDER BY resource." + quote(s.resourceIdProperty()) + " LIMIT 1\n"
                + "OPTIONAL MATCH (cause:" + ep + ")-[r:" + cause + "]->(symptom)\n"
                + "WITH symptom, resource, cause, r\n"
                + "ORDER BY coalesce(r." + conf + ", 0.0) DESC, cause." + eid + " LIMIT 1\n"
                + "CALL {\n  WITH cause\n" + chain + "}\n"
                + "CALL {\n  WITH resource\n"
                + "  OPTIONAL MATCH owners = (resource)-[:" + Cypher.types(s.ownerRelationships()) + "*1..3]->(owner:"
                + quote(s.resourceLabel()) + ")\n"
                + "  WITH owner, owners ORDER BY length(owners) DESC LIMIT 1\n"
                + "  RETURN owner." + quote(s.nameProperty()) + " AS owner_name\n}\n"
                + "RETURN symptom." + eid + " AS incident_id, symptom." + reason + " AS symptom_reason,\n"
                + "       symptom." + quote(s.eventTimeProperty()) + " AS event_time,\n"
                + "       symptom." + quote(s.clusterProperty()) + " AS symptom_cluster,\n"
                + "       cause." + eid + " AS cause_id, cause." + reason + " AS root_cause_reason,\n"
                + "       coalesce(r." + conf + ", 0.0) AS rca_confidence,\n"
                + "       resource IS NOT NULL AS has_resource,\n"
                + "       resource." + quote(s.resourceIdProperty()) + " AS rid,\n"
                + "       resource." + quote(s.kindProperty()) + " AS kind,\n"
                + "       resource." + quote(s.nameProperty()) + " AS name,\n"
                + "       resource." + quote(s.namespaceProperty()) + " AS namespace,\n"
                + "       resource." + quote(s.uidProperty()) + " AS uid,\n"
                + "       resource." + quote(s.controllerProperty()) + " AS controller,\n"
                + "       resource." + quote(s.containerProperty()) + " AS container,\n"
                + "       resource." + quote(s.clusterProperty()) + " AS resource_cluster,\n"
                + "       owner_name, chain_nodes, chain_confidences";
    }

    /** The query text (names only; the incident id is the parameter {@code $incident_id}). */
    public String text() {
        return text;
    }

    /** The incident from the query's single row. */
    public Incident toIncident(String incidentId, Record row) {
        if (!row.get("has_resource").asBoolean()) {
            throw new IncidentContextException(incidentId, "incident '" + incidentId + "' has no resource: no (:"
                    + s.episodicLabel() + " {" + s.eventIdProperty() + ": '" + incidentId + "'})-[:"
                    + s.aboutRelationship() + "]->(:" + s.resourceLabel() + ")");
        }
        String kind = text(row.get("kind"));
        String name = text(row.get("name"));
        if (kind.isEmpty() || name.isEmpty()) {
            throw new IncidentContextException(incidentId, "resource of incident '" + incidentId + "' lacks its "
                    + (kind.isEmpty() ? s.kindProperty() : s.nameProperty()) + " property");
        }
        ResourceRef resource = ResourceRef.of(kind, text(row.get("namespace")), name);
        String uid = text(row.get("uid"));
        if (!uid.isEmpty()) {
            resource = resource.withUid(uid);
        }
        String controller = text(row.get("controller"));
        if (controller.isEmpty()) {
            controller = text(row.get("owner_name"));
        }
        if (!controller.isEmpty()) {
            resource = resource.withController(controller);
        }
        String container = text(row.get("container"));
        if (!container.isEmpty()) {
            resource = resource.withContainerName(container);
        }
        double confidence = row.get("rca_confidence").asDouble();
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IncidentContextException(incidentId, "confidence " + confidence + " of the cause of incident '"
                    + incidentId + "' is not between 0 and 1");
        }
        var b = Incident.builder(incidentId)
                .symptomReason(text(row.get("symptom_reason")))
                .rootCause(text(row.get("root_cause_reason")), confidence)
                .resource(resource);
        try {
            Values.instant(row.get("event_time")).ifPresent(b::eventTime);
        } catch (IllegalArgumentException e) {
            throw new IncidentContextException(incidentId, "incident '" + incidentId + "': property "
                    + s.eventTimeProperty() + " " + e.getMessage(), e);
        }
        String cluster = text(row.get("resource_cluster"));
        if (cluster.isEmpty()) {
            cluster = text(row.get("symptom_cluster"));
        }
        if (!cluster.isEmpty()) {
            b.cluster(cluster);
        }
        String rid = text(row.get("rid"));
        if (!rid.isEmpty()) {
            b.attribute("rid", rid);
        }
        String causeId = text(row.get("cause_id"));
        if (!causeId.isEmpty()) {
            b.attribute("root_cause_event_id", causeId);
            b.causalChain(chain(incidentId, causeId, text(row.get("root_cause_reason")), confidence,
                    row.get("chain_nodes"), row.get("chain_confidences")));
        }
        return b.build();
    }

    private static List<CausalLink> chain(String symptomId, String causeId, String causeReason, double confidence,
                                          Value nodes, Value confidences) {
        var links = new ArrayList<CausalLink>();
        links.add(new CausalLink(causeId, causeReason, symptomId, confidence));
        if (nodes == null || nodes.isNull()) {
            return links;
        }
        // nodes run from the cause backwards: nodes[i+1] is a cause of nodes[i]
        for (int i = 0; i + 1 < nodes.size(); i++) {
            Value effect = nodes.get(i);
            Value c = nodes.get(i + 1);
            links.add(new CausalLink(text(c.get("eid")), text(c.get("reason")), text(effect.get("eid")),
                    confidences.get(i).asDouble()));
        }
        return links;
    }

    private static String text(Value v) {
        if (v == null || v.isNull()) {
            return "";
        }
        return v.hasType(org.neo4j.driver.types.TypeSystem.getDefault().STRING()) ? v.asString() : String.valueOf(Values.plain(v));
    }

}
