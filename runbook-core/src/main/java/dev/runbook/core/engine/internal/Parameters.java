package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.ParameterResolver;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Runbook;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a runbook's parameters (given values, then the host's resolvers, then defaults) and the host parameters
 * it reads (the host's resolvers).
 */
final class Parameters {
    private Parameters() {
    }

    /**
     * Fills {@code out} with the runbook's parameters and the host parameters it reads; a message when a required one
     * has no value.
     */
    static Optional<String> resolve(EngineConfig cfg, CompiledRunbook crb, Map<String, Object> given,
                                    Map<String, Object> out) {
        Runbook rb = crb.runbook();
        var missing = new ArrayList<String>();
        for (String name : crb.hostParameters().keySet()) {
            Optional<Object> v = lookup(cfg, rb, given, name);
            if (v.isEmpty()) {
                missing.add(name);
            }
            out.put(name, v.orElse(null));
        }
        for (Parameter p : rb.parameters()) {
            Optional<Object> v = lookup(cfg, rb, given, p.name());
            if (v.isEmpty() && p.defaultValue().isPresent()) {
                v = Optional.ofNullable(p.defaultValue().get().toPlain());
            }
            if (v.isEmpty() && p.required()) {
                missing.add(p.name());
            }
            out.put(p.name(), v.orElse(null));
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("runbook " + rb.id() + " needs a value for parameter(s) " + missing
                + "; supply them with RunbookEngine.builder().parameter(name, value) or a ParameterResolver");
    }

    /** A given value, else the first resolver's. */
    private static Optional<Object> lookup(EngineConfig cfg, Runbook rb, Map<String, Object> given, String name) {
        Optional<Object> v = Optional.ofNullable(given.get(name));
        for (ParameterResolver r : cfg.parameterResolvers()) {
            if (v.isPresent()) {
                break;
            }
            v = r.resolve(rb.id(), name);
        }
        return v;
    }
}
