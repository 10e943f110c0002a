package dev.runbook.mcp.internal;

import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.model.Runbook;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The resources: {@code runbook://library}, {@code runbook://executions/recent} and one per runbook. */
public final class Resources {
    private static final String RUNBOOK = "runbook://runbooks/";

    private final EngineWiring wiring;
    private final LibraryCalls library;

    public Resources(EngineWiring wiring, LibraryCalls library) {
        this.wiring = wiring;
        this.library = library;
    }

    /** {@code runbook://library} and {@code runbook://executions/recent}, plus one resource per runbook. */
    public List<SyncResourceSpecification> all() {
        var out = new ArrayList<SyncResourceSpecification>();
        out.add(new SyncResourceSpecification(McpSchema.Resource.builder().uri("runbook://library").name("runbook-library")
                .description("Every runbook this server can run: id, trigger, actions").mimeType(Results.JSON).build(),
                (ex, req) -> Results.resource(req.uri(), Map.of("runbooks", wiring.library().stream()
                        .map(Plain::runbookSummary).toList()))));
        out.add(new SyncResourceSpecification(McpSchema.Resource.builder().uri("runbook://executions/recent")
                .name("recent-executions").description("The latest executions, newest first, with guard decisions, "
                        + "approval and steps").mimeType(Results.JSON).build(),
                (ex, req) -> Results.resource(req.uri(), Map.of("executions", wiring.recent().stream()
                        .map(ExecutionView::of).toList()))));
        for (Runbook rb : wiring.library()) {
            out.add(new SyncResourceSpecification(McpSchema.Resource.builder().uri(RUNBOOK + rb.id())
                    .name(rb.id()).description(rb.name()).mimeType(Results.JSON).build(),
                    (ex, req) -> Results.resource(req.uri(), library.describe(rb))));
        }
        return out;
    }

    /** {@code runbook://runbooks/{id}}. */
    public List<SyncResourceTemplateSpecification> templates() {
        return List.of(new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate.builder()
                .uriTemplate(RUNBOOK + "{id}").name("runbook").description("One runbook in full, with its source")
                .mimeType(Results.JSON).build(), (ex, req) -> {
                    String id = req.uri().substring(RUNBOOK.length());
                    Runbook rb = wiring.library().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() ->
                            new IllegalArgumentException("no runbook '" + id + "' (known: "
                                    + wiring.library().stream().map(Runbook::id).toList() + ")"));
                    return Results.resource(req.uri(), library.describe(rb));
                }));
    }
}
