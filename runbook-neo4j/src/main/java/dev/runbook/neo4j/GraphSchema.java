package dev.runbook.neo4j;

import dev.runbook.neo4j.internal.Cypher;
import java.util.List;
import java.util.Objects;

/**
 * Labels, relationship types and property names of the RCA graph. The defaults are the seed's schema:
 * {@code (:Episodic {eid, reason, event_time})-[:ABOUT]->(:Resource {rid, kind, name, ns, uid})} and
 * {@code (cause:Episodic)-[:POTENTIAL_CAUSE {confidence}]->(effect:Episodic)}; a graph that differs
 * configures its names with {@link #builder()}. Every name is checked to be a plain Cypher identifier when
 * set, and is written backticked into query text; values always travel as parameters.
 *
 * @param episodicLabel        label of events ({@code Episodic})
 * @param eventIdProperty      event id ({@code eid})
 * @param reasonProperty       event reason ({@code reason})
 * @param eventTimeProperty    event time ({@code event_time}): a datetime, local datetime (UTC), ISO text or epoch ms
 * @param resourceLabel        label of resources ({@code Resource})
 * @param resourceIdProperty   resource id ({@code rid})
 * @param kindProperty         resource kind ({@code kind})
 * @param nameProperty         resource name ({@code name})
 * @param namespaceProperty    resource namespace ({@code ns})
 * @param uidProperty          resource uid ({@code uid})
 * @param controllerProperty   resource property naming its controller ({@code controller}); wins over the owner walk
 * @param containerProperty    resource property naming the container concerned ({@code container})
 * @param clusterProperty      resource or event property naming the cluster ({@code cluster})
 * @param aboutRelationship    event to resource ({@code ABOUT})
 * @param causeRelationship    cause to effect ({@code POTENTIAL_CAUSE})
 * @param confidenceProperty   confidence on the cause relationship ({@code confidence})
 * @param ownerRelationships   resource to owning resource, walked up to 3 hops for the controller
 *                             ({@code OWNED_BY}, {@code CONTROLLED_BY})
 * @param maxChainDepth        most links in the causal chain, the cause-to-symptom link included (5)
 */
public record GraphSchema(String episodicLabel, String eventIdProperty, String reasonProperty, String eventTimeProperty,
                          String resourceLabel, String resourceIdProperty, String kindProperty, String nameProperty,
                          String namespaceProperty, String uidProperty, String controllerProperty,
                          String containerProperty, String clusterProperty, String aboutRelationship,
                          String causeRelationship, String confidenceProperty, List<String> ownerRelationships,
                          int maxChainDepth) {

    /** Most links a causal chain may be configured to have; deeper walks get expensive on dense graphs. */
    public static final int MAX_CHAIN_DEPTH_LIMIT = 20;

    public GraphSchema {
        Cypher.identifier("episodicLabel", episodicLabel);
        Cypher.identifier("eventIdProperty", eventIdProperty);
        Cypher.identifier("reasonProperty", reasonProperty);
        Cypher.identifier("eventTimeProperty", eventTimeProperty);
        Cypher.identifier("resourceLabel", resourceLabel);
        Cypher.identifier("resourceIdProperty", resourceIdProperty);
        Cypher.identifier("kindProperty", kindProperty);
        Cypher.identifier("nameProperty", nameProperty);
        Cypher.identifier("namespaceProperty", namespaceProperty);
        Cypher.identifier("uidProperty", uidProperty);
        Cypher.identifier("controllerProperty", controllerProperty);
        Cypher.identifier("containerProperty", containerProperty);
        Cypher.identifier("clusterProperty", clusterProperty);
        Cypher.identifier("aboutRelationship", aboutRelationship);
        Cypher.identifier("causeRelationship", causeRelationship);
        Cypher.identifier("confidenceProperty", confidenceProperty);
        ownerRelationships = List.copyOf(ownerRelationships);
        if (ownerRelationships.isEmpty()) {
            throw new IllegalArgumentException("ownerRelationships must name at least one relationship type");
        }
        ownerRelationships.forEach(t -> Cypher.identifier("ownerRelationships", t));
        if (maxChainDepth < 1 || maxChainDepth > MAX_CHAIN_DEPTH_LIMIT) {
            throw new IllegalArgumentException("maxChainDepth must be between 1 and " + MAX_CHAIN_DEPTH_LIMIT
                    + ", got " + maxChainDepth);
        }
    }

    /** The seed's schema. */
    public static GraphSchema defaults() {
        return builder().build();
    }

    /** A builder starting from the seed's names. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GraphSchema}; each setter checks its name at once. */
    public static final class Builder {
        private String episodicLabel = "Episodic";
        private String eventIdProperty = "eid";
        private String reasonProperty = "reason";
        private String eventTimeProperty = "event_time";
        private String resourceLabel = "Resource";
        private String resourceIdProperty = "rid";
        private String kindProperty = "kind";
        private String nameProperty = "name";
        private String namespaceProperty = "ns";
        private String uidProperty = "uid";
        private String controllerProperty = "controller";
        private String containerProperty = "container";
        private String clusterProperty = "cluster";
        private String aboutRelationship = "ABOUT";
        private String causeRelationship = "POTENTIAL_CAUSE";
        private String confidenceProperty = "confidence";
        private List<String> ownerRelationships = List.of("OWNED_BY", "CONTROLLED_BY");
        private int maxChainDepth = 5;

        private Builder() {
        }

        private static String check(String what, String v) {
            return Cypher.identifier(what, Objects.requireNonNull(v, what));
        }

        public Builder episodicLabel(String v) {
            episodicLabel = check("episodicLabel", v);
            return this;
        }

        public Builder eventIdProperty(String v) {
            eventIdProperty = check("eventIdProperty", v);
            return this;
        }

        public Builder reasonProperty(String v) {
            reasonProperty = check("reasonProperty", v);
            return this;
        }

        public Builder eventTimeProperty(String v) {
            eventTimeProperty = check("eventTimeProperty", v);
            return this;
        }

        public Builder resourceLabel(String v) {
            resourceLabel = check("resourceLabel", v);
            return this;
        }

        public Builder resourceIdProperty(String v) {
            resourceIdProperty = check("resourceIdProperty", v);
            return this;
        }

        public Builder kindProperty(String v) {
            kindProperty = check("kindProperty", v);
            return this;
        }

        public Builder nameProperty(String v) {
            nameProperty = check("nameProperty", v);
            return this;
        }

        public Builder namespaceProperty(String v) {
            namespaceProperty = check("namespaceProperty", v);
            return this;
        }

        public Builder uidProperty(String v) {
            uidProperty = check("uidProperty", v);
            return this;
        }

        public Builder controllerProperty(String v) {
            controllerProperty = check("controllerProperty", v);
            return this;
        }

        public Builder containerProperty(String v) {
            containerProperty = check("containerProperty", v);
            return this;
        }

        public Builder clusterProperty(String v) {
            clusterProperty = check("clusterProperty", v);
            return this;
        }

        public Builder aboutRelationship(String v) {
            aboutRelationship = check("aboutRelationship", v);
            return this;
        }

        public Builder causeRelationship(String v) {
            causeRelationship = check("causeRelationship", v);
            return this;
        }

        public Builder confidenceProperty(String v) {
            confidenceProperty = check("confidenceProperty", v);
            return this;
        }

        public Builder ownerRelationships(String... types) {
            var list = List.of(types);
            list.forEach(t -> check("ownerRelationships", t));
            if (list.isEmpty()) {
                throw new IllegalArgumentException("ownerRelationships must name at least one relationship type");
            }
            ownerRelationships = list;
            return this;
        }

        public Builder maxChainDepth(int v) {
            if (v < 1 || v > MAX_CHAIN_DEPTH_LIMIT) {
                throw new IllegalArgumentException("maxChainDepth must be between 1 and " + MAX_CHAIN_DEPTH_LIMIT
                        + ", got " + v);
            }
            maxChainDepth = v;
            return this;
        }

        public GraphSchema build() {
            return new GraphSchema(episodicLabel, eventIdProperty, reasonProperty, eventTimeProperty, resourceLabel,
                    resourceIdProperty, kindProperty, nameProperty, namespaceProperty, uidProperty, controllerProperty,
                    containerProperty, clusterProperty, aboutRelationship, causeRelationship, confidenceProperty,
                    ownerRelationships, maxChainDepth);
        }
    }
}
