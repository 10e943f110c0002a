package dev.runbook.neo4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.neo4j.driver.summary.Plan;

/** The operators of a statement's plan, from {@code EXPLAIN}, for the tests that check statements seek indexes. */
final class StatementPlans {
    private StatementPlans() {
    }

    /** Each operator as its type and details ({@code NodeByLabelScan@neo4j e:RunbookExecution}), root first. */
    static List<String> operators(Driver driver, String statement, Map<String, Object> parameters) {
        Plan plan;
        try (var session = driver.session()) {
            plan = session.run("EXPLAIN " + statement, parameters).consume().plan();
        }
        var into = new ArrayList<String>();
        collect(plan, into);
        return into;
    }

    private static void collect(Plan plan, List<String> into) {
        var details = plan.arguments().get("Details");
        into.add(plan.operatorType() + (details == null ? "" : " " + details.asString()));
        plan.children().forEach(child -> collect(child, into));
    }
}
