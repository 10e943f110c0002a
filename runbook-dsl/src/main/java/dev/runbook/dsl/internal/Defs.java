package dev.runbook.dsl.internal;

import dev.runbook.core.internal.Durations;
import dev.runbook.core.model.RetryPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runbook file format as a small definition tree. The strict reader ({@link RunbookNodeReader}) and the
 * JSON Schema generator ({@link SchemaGenerator}) both work from it, so the two can never disagree about keys,
 * types, ranges or required fields.
 */
public final class Defs {
    private Defs() {
    }

    /** A value type. */
    public sealed interface Type permits Str, Bool, Int, Num, Dur, Enum, ListOf, MapOf, Obj, Any, Either, Params, StepRef {
    }

    /** Text; {@code acceptNumbers} keeps a number's source text ({@code version: 1.0} is "1.0"). */
    public record Str(boolean acceptNumbers) implements Type {
    }

    /** true or false. */
    public record Bool() implements Type {
    }

    /** A whole number within [min, max]. */
    public record Int(long min, long max) implements Type {
    }

    /** A number within [min, max]. */
    public record Num(double min, double max) implements Type {
    }

    /** A duration: seconds as a number, or text such as 250ms, 30s, 5m, 1h, PT5M; {@code positive} excludes zero. */
    public record Dur(boolean positive) implements Type {
    }

    /** One of these words. */
    public record Enum(List<String> values) implements Type {
    }

    /** A list of items. */
    public record ListOf(Type item) implements Type {
    }

    /** A map from text keys to values. */
    public record MapOf(Type value) implements Type {
    }

    /** Anything (a parameter default). */
    public record Any() implements Type {
    }

    /** A scalar form or a collection form of the same thing ({@code retry: 3} or {@code retry: {attempts: 3}}). */
    public record Either(Type scalar, Type collection) implements Type {
    }

    /** A parameter map; which keys it takes depends on the step's action (checked against the action registry). */
    public record Params() implements Type {
    }

    /** A step: an action step, or a branch step when it has an {@code if} key. */
    public record StepRef() implements Type {
    }

    /** One key of an object. */
    public record Field(String name, Type type, boolean required, String description) {
    }

    /** An object with a fixed set of keys; {@code defName} names it in the JSON Schema's {@code $defs}. */
    public record Obj(String defName, String description, List<Field> fields) implements Type {
        public Optional<Field> field(String name) {
            // A plain loop: called for every key read, and objects have at most fourteen fields.
            for (Field f : fields) {
                if (f.name().equals(name)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }

        public List<String> names() {
            return fields.stream().map(Field::name).toList();
        }
    }

    private static Field req(String name, Type t, String d) {
        return new Field(name, t, true, d);
    }

    private static Field opt(String name, Type t, String d) {
        return new Field(name, t, false, d);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static final Str STR = new Str(false);
    static final Type STR_OR_LIST = new Either(STR, new ListOf(STR));
    static final Type STR_LIST = new ListOf(STR);
    static final Int POSITIVE = new Int(1, Integer.MAX_VALUE);
    static final Int NON_NEGATIVE = new Int(0, Integer.MAX_VALUE);
    static final Num CONFIDENCE = new Num(0.0, 1.0);
    static final Dur DURATION = new Dur(false);
    static final Type ON_FAILURE = new Enum(List.of("rollback", "continue", "fail", "escalate"));

    /** Retry as an object. */
    public static final Obj RETRY = new Obj("retry", "attempts and exponential backoff", List.of(
            req("attempts", POSITIVE, "total attempts including the first"),
            opt("backoff", DURATION, "wait before the first retry (seconds, or 250ms/30s/5m; default "
                    + Durations.human(RetryPolicy.DEFAULT_BACKOFF) + "); each wait is drawn "
                    + "between half and all of its backoff, and a server's Retry-After is honoured up to max_backoff"),
            opt("multiplier", new Num(1.0, 1000.0), "backoff factor after each attempt (>= 1; default "
                    + fmt(RetryPolicy.DEFAULT_MULTIPLIER) + ", 1 keeps the backoff fixed)"),
            opt("max_backoff", DURATION, "upper bound for the backoff (default "
                    + Durations.human(RetryPolicy.DEFAULT_MAX_BACKOFF) + ", or the backoff when that is larger)")));

    /** A step that calls an action. */
    public static final Obj ACTION_STEP = new Obj("action_step", "a step that calls one action", List.of(
            req("name", STR, "unique name of the step within the runbook"),
            req("action", STR, "the action to call, for instance kubectl_patch"),
            opt("params", new Params(), "the action's parameters; string leaves may be {{ }} templates"),
            opt("output_var", STR, "variable that receives the action's output for later steps"),
            opt("when", STR, "condition over the variables; the step is skipped when it is false"),
            opt("retry", new Either(POSITIVE, RETRY), "attempts (a number) or {attempts, backoff, multiplier, max_backoff}"),
            opt("timeout", new Dur(true), "limit for one attempt: seconds, or 30s/5m/1h/PT5M"),
            opt("expect", STR, "condition over the step's result that must hold, or the step fails"),
            opt("on_failure", ON_FAILURE, "what a failure does: rollback (default), continue, fail or escalate (roll back, then hand the incident to the next matching runbook)"),
            opt("idempotent", new Bool(), "running it again after it may have partly run gives the same result; "
                    + "recovery may resume from it when safety.resume_on_recovery is true")));

    /** An if/then/else step. */
    public static final Obj BRANCH_STEP = new Obj("branch_step", "an if/then/else step", List.of(
            req("name", STR, "unique name of the step within the runbook"),
            req("if", STR, "condition over the variables"),
            opt("then", new ListOf(new StepRef()), "steps run when the condition holds"),
            opt("else", new ListOf(new StepRef()), "steps run when it does not"),
            opt("when", STR, "condition under which the branch is evaluated at all"),
            opt("on_failure", ON_FAILURE, "what a failure inside the branch does: rollback (default), continue, fail or escalate")));

    static final Obj TRIGGER = new Obj("trigger", "when the runbook applies; every given criterion must hold", List.of(
            opt("root_cause_reason", STR_OR_LIST, "root-cause reason(s), any of which matches, for instance OOMKilled"),
            opt("symptom_reason", STR_OR_LIST, "symptom reason(s), any of which matches"),
            opt("min_confidence", CONFIDENCE, "the RCA confidence must be at least this (0..1)"),
            opt("affected_resource_kinds", STR_LIST, "kinds of the affected resource (Pod, Node, ...)"),
            opt("namespaces", STR_LIST, "namespaces of the affected resource"),
            opt("clusters", STR_LIST, "clusters of the incident"),
            opt("labels", new MapOf(STR), "labels the incident must carry with these values"),
            opt("when", STR, "an extra condition over incident")));

    static final Obj REPLICAS = new Obj("replicas", "bounds scaling actions must respect", List.of(
            req("min", NON_NEGATIVE, "fewest replicas"),
            req("max", NON_NEGATIVE, "most replicas")));

    static final Obj PAUSE_AFTER = new Obj("pause_after", "auto-pause: this many failed or rolled-back executions "
            + "within the window pause the runbook until a person resumes it", List.of(
            req("failures", POSITIVE, "failed or rolled-back executions that pause the runbook"),
            req("within", new Dur(true), "the sliding window they must fall in: seconds, or 30s/5m/1h/PT1H")));

    static final Obj SAFETY = new Obj("safety", "guardrails", List.of(
            opt("require_approval", new Bool(), "a human must approve before real execution"),
            opt("max_executions_per_hour", POSITIVE, "executions of this runbook in any sliding hour"),
            opt("blast_radius_limit", POSITIVE, "distinct resources the plan may touch"),
            opt("dry_run_first", new Bool(), "the plan must pass a dry run before the real execution"),
            opt("min_confidence", CONFIDENCE, "the RCA confidence must be at least this (0..1)"),
            opt("cooldown", DURATION, "wait this long before running again for the same resource"),
            opt("min_action_spacing", DURATION, "at least this long between two remediation executions"),
            opt("max_executions_per_resource_per_hour", POSITIVE, "executions per affected resource in any sliding hour"),
            opt("max_actions_per_hour", POSITIVE, "mutating actions across all runbooks in any sliding hour"),
            opt("max_action_per_resource_per_hour", new MapOf(POSITIVE), "per action name, runs against one resource an hour"),
            opt("allowed_namespaces", STR_LIST, "namespaces the runbook may act in"),
            opt("replicas", REPLICAS, "bounds scaling actions must respect"),
            opt("env_whitelist", STR_LIST, "environment variable names env-updating actions may change"),
            opt("resume_on_recovery", new Bool(), "after a host died mid-run, recovery finishes the execution instead of "
                    + "rolling it back when every step from the interrupted one on is idempotent"),
            opt("pause_after", PAUSE_AFTER, "pause the runbook after {failures} failed or rolled-back executions "
                    + "within {within}; a person resumes it")));

    static final Obj PARAMETER = new Obj("parameter", "a value the host supplies", List.of(
            req("name", STR, "variable name templates use"),
            opt("description", STR, "what it is for"),
            opt("default", new Any(), "used when the host supplies nothing"),
            opt("secret", new Bool(), "masked in records and notifications"),
            opt("required", new Bool(), "the execution fails when no value and no default exist (default: true "
                    + "unless a default is given)")));

    static final Type CHANNELS = new MapOf(new Params());

    static final Obj NOTIFICATION = new Obj("notification", "notifications by outcome; each maps a channel to its params",
            List.of(opt("on_success", CHANNELS, "sent after a successful execution, for instance slack: {channel, message}"),
                    opt("on_failure", CHANNELS, "sent after a failed execution (error_message says why)")));

    /** The body of the {@code runbook:} key. */
    public static final Obj RUNBOOK = new Obj("runbook", "a runbook", List.of(
            req("id", STR, "unique id, for instance oomkilled-increase-memory-v1"),
            opt("name", STR, "human-readable title"),
            opt("version", new Str(true), "the author's version (kept as written: 1.0 stays \"1.0\")"),
            opt("author", STR, "owner"),
            opt("description", STR, "free text"),
            opt("labels", new MapOf(STR), "labels for selection and reporting"),
            opt("enabled", new Bool(), "a disabled runbook never runs"),
            opt("trigger", TRIGGER, "when the runbook applies"),
            opt("safety", SAFETY, "guardrails"),
            opt("parameters", new ListOf(PARAMETER), "values the host supplies"),
            req("steps", new ListOf(new StepRef()), "the remediation steps"),
            opt("notification", NOTIFICATION, "whom to tell"),
            opt("rollback", new ListOf(new StepRef()), "steps run when a step fails with on_failure: rollback or escalate")));

    /** The whole file: one {@code runbook:} key. */
    public static final Obj FILE = new Obj("file", "a runbook file", List.of(req("runbook", RUNBOOK, "the runbook")));

    /** Every named object, for the JSON Schema's $defs. */
    public static List<Obj> namedObjects() {
        var out = new LinkedHashMap<String, Obj>();
        collect(FILE, out);
        collect(ACTION_STEP, out);
        collect(BRANCH_STEP, out);
        out.remove("file");
        return new ArrayList<>(out.values());
    }

    private static void collect(Type t, Map<String, Obj> out) {
        if (t instanceof Obj o) {
            if (out.putIfAbsent(o.defName(), o) == null) {
                o.fields().forEach(f -> collect(f.type(), out));
            }
        } else if (t instanceof ListOf l) {
            collect(l.item(), out);
        } else if (t instanceof MapOf m) {
            collect(m.value(), out);
        } else if (t instanceof Either e) {
            collect(e.scalar(), out);
            collect(e.collection(), out);
        }
    }
}
