package dev.runbook.neo4j.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Value;
import org.neo4j.driver.types.TypeSystem;

/** Converts driver values to the plain Java values expressions and templates understand. */
public final class Values {
    private static final TypeSystem TYPES = TypeSystem.getDefault();

    private Values() {
    }

    /**
     * A plain value: null, String, Long, Double, Boolean, List, Map (nodes and relationships become their
     * property maps, temporal values their ISO-8601 text).
     */
    public static Object plain(Value v) {
        if (v == null || v.isNull()) {
            return null;
        }
        var t = v.type();
        if (t.equals(TYPES.STRING())) {
            return v.asString();
        }
        if (t.equals(TYPES.INTEGER())) {
            return v.asLong();
        }
        if (t.equals(TYPES.FLOAT())) {
            return v.asDouble();
        }
        if (t.equals(TYPES.BOOLEAN())) {
            return v.asBoolean();
        }
        if (t.equals(TYPES.LIST())) {
            var out = new ArrayList<Object>();
            v.values().forEach(x -> out.add(plain(x)));
            return Collections.unmodifiableList(out);
        }
        if (t.equals(TYPES.MAP()) || t.equals(TYPES.NODE()) || t.equals(TYPES.RELATIONSHIP())) {
            var out = new LinkedHashMap<String, Object>();
            for (String k : v.keys()) {
                out.put(k, plain(v.get(k)));
            }
            return Collections.unmodifiableMap(out);
        }
        if (t.equals(TYPES.DATE_TIME())) {
            return v.asZonedDateTime().toOffsetDateTime().toString();
        }
        // dates, times, durations, points, paths: their text
        return v.toString().replaceAll("^\"|\"$", "");
    }

    /** Columns of a record as a map, in column order. */
    public static Map<String, Object> row(org.neo4j.driver.Record r) {
        var out = new LinkedHashMap<String, Object>();
        for (String k : r.keys()) {
            out.put(k, plain(r.get(k)));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * An event time as an instant: a Neo4j datetime, a local datetime (taken as UTC), ISO-8601 text, or
     * epoch milliseconds.
     *
     * @throws IllegalArgumentException when the value is none of these
     */
    public static Optional<Instant> instant(Value v) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        var t = v.type();
        if (t.equals(TYPES.DATE_TIME())) {
            return Optional.of(v.asZonedDateTime().toInstant());
        }
        if (t.equals(TYPES.LOCAL_DATE_TIME())) {
            return Optional.of(v.asLocalDateTime().toInstant(ZoneOffset.UTC));
        }
        if (t.equals(TYPES.INTEGER())) {
            return Optional.of(Instant.ofEpochMilli(v.asLong()));
        }
        if (t.equals(TYPES.STRING())) {
            String s = v.asString();
            try {
                return Optional.of(OffsetDateTime.parse(s).toInstant());
            } catch (DateTimeParseException e) {
                try {
                    return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException e2) {
                    throw new IllegalArgumentException("'" + s + "' is not an ISO-8601 date-time");
                }
            }
        }
        throw new IllegalArgumentException("a " + t.name() + " value (" + v + ") is not a date-time");
    }

}
