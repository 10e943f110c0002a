package dev.runbook.neo4j.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.neo4j.driver.summary.Plan;
import org.neo4j.driver.summary.QueryType;
import org.neo4j.driver.summary.ResultSummary;

/**
 * What {@code check_neo4j} lets through: read clauses over the graph, and {@code CALL} only to a few procedures that
 * read the schema. A read transaction is not enough: in it {@code LOAD CSV} still makes the server fetch a URL or
 * read a file, {@code SHOW USERS} and {@code CALL dbms.listConfig()} still answer, and
 * {@code CALL db.clearQueryCaches()} still runs. Two checks, each naming what it refuses:
 * <ol>
 *   <li>{@link #lexical}: the query's words with strings and comments removed: no {@code LOAD CSV}, {@code SHOW},
 *   {@code USE}, {@code apoc.}, and {@code CALL} only to {@link #PROCEDURES} or a subquery;</li>
 *   <li>{@link #plan}: the plan of {@code EXPLAIN <query>}, which sees through any spelling the words missed: the query
 *   type must be read-only and no operator may load CSV, show, administer, run on the system database, write, or call
 *   a procedure outside the list.</li>
 * </ol>
 */
final class ReadOnlyCypher {
    /** The procedures a query may call: they read the schema of the graph. */
    static final Set<String> PROCEDURES = Set.of("db.labels", "db.relationshiptypes", "db.propertykeys",
            "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties");
    private static final String ALLOWED = "db.labels, db.relationshipTypes, db.propertyKeys, db.schema.visualization, "
            + "db.schema.nodeTypeProperties, db.schema.relTypeProperties";
    /** Plan operators that write, by the start of their name (SetProperty, DetachDelete ...), and their clause. */
    private static final Map<String, String> WRITE_OPERATORS = orderedMap("Create", "CREATE", "Merge", "MERGE",
            "LockingMerge", "MERGE", "Delete", "DELETE", "DetachDelete", "DETACH DELETE", "Set", "SET", "Remove",
            "REMOVE", "Foreach", "FOREACH", "Transaction", "CALL IN TRANSACTIONS");

    private ReadOnlyCypher() {
    }

    /** The refusal of the query's words, if any: the clause named and why. */
    static Optional<String> lexical(String query) {
        List<CypherTokens.Token> t;
        try {
            t = CypherTokens.of(query);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (!t.isEmpty() && t.get(0).isWord("EXPLAIN", "PROFILE", "CYPHER")) {
            return Optional.of(t.get(0).text().toUpperCase(Locale.ROOT) + " is refused: write the query without it "
                    + "(check_neo4j plans the query itself)");
        }
        for (int i = 0; i < t.size(); i++) {
            CypherTokens.Token w = t.get(i);
            if (!w.keywordAt(t, i)) {
                continue;
            }
            Optional<CypherTokens.Token> next = i + 1 < t.size() ? Optional.of(t.get(i + 1)) : Optional.empty();
            boolean nextIsWord = next.map(CypherTokens.Token::word).orElse(false);
            String upper = w.text().toUpperCase(Locale.ROOT);
            if (upper.equals("LOAD") && next.map(n -> n.isWord("CSV")).orElse(false)) {
                return Optional.of(refused("LOAD CSV", "it makes the server read a file or fetch a URL"));
            }
            if (upper.equals("SHOW") && nextIsWord) {
                return Optional.of(refused("SHOW " + next.get().text().toUpperCase(Locale.ROOT),
                        "it reads the server's administration data, not the graph"));
            }
            if (upper.equals("USE") && nextIsWord) {
                return Optional.of(refused("USE " + next.get().text(), "the database is check_neo4j's 'database' "
                        + "parameter, and never the system database"));
            }
            if (upper.equals("APOC") && next.map(n -> n.text().equals(".")).orElse(false)) {
                return Optional.of(refused("apoc." + (i + 2 < t.size() ? t.get(i + 2).text() : ""),
                        "APOC procedures and functions can reach files, URLs and the server"));
            }
            if (upper.equals("CALL") && nextIsWord) {
                String name = CypherTokens.dottedName(t, i + 1);
                if (!PROCEDURES.contains(name.toLowerCase(Locale.ROOT))) {
                    return Optional.of(refused("CALL " + name, "only these procedures may be called: " + ALLOWED));
                }
            }
        }
        return Optional.empty();
    }

    /** The refusal of the plan of {@code EXPLAIN <query>}, if any. */
    static Optional<String> plan(ResultSummary summary) {
        if (summary.database().name() != null && summary.database().name().equalsIgnoreCase("system")) {
            return Optional.of(refused("the system database", "it holds users, roles and credentials"));
        }
        if (summary.hasPlan()) {
            var all = new ArrayList<Plan>();
            collect(summary.plan(), all);
            for (Plan p : all) {
                Optional<String> r = operator(p);
                if (r.isPresent()) {
                    return r;
                }
            }
        }
        if (summary.queryType() != QueryType.READ_ONLY) {
            return Optional.of("the query is " + summary.queryType() + ", not read-only: check_neo4j only reads the "
                    + "graph (MATCH, OPTIONAL MATCH, WITH, WHERE, RETURN, CALL of " + ALLOWED + ")");
        }
        return Optional.empty();
    }

    private static Optional<String> operator(Plan p) {
        String type = p.operatorType();
        int at = type.indexOf('@');
        String op = at < 0 ? type : type.substring(0, at);
        String db = at < 0 ? "" : type.substring(at + 1);
        if (db.equalsIgnoreCase("system")) {
            return Optional.of(refused("the system database (" + op + ")", "it holds users, roles and credentials"));
        }
        if (op.equals("LoadCSV")) {
            return Optional.of(refused("LOAD CSV", "it makes the server read a file or fetch a URL"));
        }
        if (op.startsWith("Show") || op.startsWith("Administration") || op.startsWith("System")) {
            return Optional.of(refused(op, "it reads or changes the server's administration data, not the graph"));
        }
        if (op.equals("ProcedureCall")) {
            String details = p.arguments().containsKey("Details") ? p.arguments().get("Details").asString() : "";
            int paren = details.indexOf('(');
            String name = (paren < 0 ? details : details.substring(0, paren)).strip();
            if (!PROCEDURES.contains(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(refused("CALL " + name, "only these procedures may be called: " + ALLOWED));
            }
        }
        for (var w : WRITE_OPERATORS.entrySet()) {
            if (op.startsWith(w.getKey())) {
                return Optional.of(refused(w.getValue() + " (plan operator " + op + ")",
                        "the query writes to the graph, but check_neo4j only reads"));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> orderedMap(String... kv) {
        var m = new LinkedHashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    private static void collect(Plan p, List<Plan> into) {
        into.add(p);
        p.children().forEach(c -> collect(c, into));
    }

    private static String refused(String what, String why) {
        return what + " is refused: " + why + "; check_neo4j runs read clauses over the graph only (MATCH ... RETURN)";
    }
}
