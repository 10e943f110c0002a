package dev.runbook.dsl.roundtrip;

import dev.runbook.dsl.internal.Defs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys of the file format, from {@link Defs} (the definitions the loader and the JSON Schema are made of), and
 * the keys one written file uses. A key is named {@code def.key} ({@code action_step.retry}); a key that is absent
 * from an object that is present counts as {@code def.key (omitted)}, and a key with a text-or-list or
 * number-or-object form counts each form used ({@code action_step.retry (scalar)}).
 */
final class SchemaKeys {
    private SchemaKeys() {
    }

    /** Every variant a complete generator must produce: each key set, each optional key omitted, each form. */
    static Set<String> all() {
        var out = new TreeSet<String>();
        var objects = new java.util.ArrayList<>(Defs.namedObjects());
        objects.add(Defs.FILE);
        for (Defs.Obj o : objects) {
            for (Defs.Field f : o.fields()) {
                String k = o.defName() + "." + f.name();
                out.add(k);
                if (!f.required()) {
                    out.add(k + " (omitted)");
                }
                if (f.type() instanceof Defs.Either) {
                    out.add(k + " (scalar)");
                    out.add(k + " (collection)");
                }
            }
        }
        return out;
    }

    /** The variants a parsed file (plain maps and lists) uses. */
    static Set<String> used(Object file) {
        var out = new TreeSet<String>();
        walk(file, Defs.FILE, out);
        return out;
    }

    private static void walk(Object v, Defs.Type t, Set<String> out) {
        if (t instanceof Defs.Obj o && v instanceof Map<?, ?> m) {
            for (Defs.Field f : o.fields()) {
                String k = o.defName() + "." + f.name();
                if (!m.containsKey(f.name())) {
                    out.add(k + " (omitted)");
                    continue;
                }
                out.add(k);
                Object x = m.get(f.name());
                if (f.type() instanceof Defs.Either e) {
                    boolean collection = x instanceof Map || x instanceof List;
                    out.add(k + (collection ? " (collection)" : " (scalar)"));
                    walk(x, collection ? e.collection() : e.scalar(), out);
                } else {
                    walk(x, f.type(), out);
                }
            }
        } else if (t instanceof Defs.ListOf l && v instanceof List<?> list) {
            list.forEach(i -> walk(i, l.item(), out));
        } else if (t instanceof Defs.MapOf mo && v instanceof Map<?, ?> m) {
            m.values().forEach(x -> walk(x, mo.value(), out));
        } else if (t instanceof Defs.StepRef && v instanceof Map<?, ?> m) {
            walk(v, m.containsKey("if") ? Defs.BRANCH_STEP : Defs.ACTION_STEP, out);
        }
    }
}
