package dev.runbook.dsl.roundtrip;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Step;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Random runbooks over every key of the file format, with hostile text wherever the model takes text: quotes,
 * colons, {@code #}, line breaks, unicode, leading and trailing spaces, YAML's special words and {@code {{ }}}.
 * Each key is left out about half the time, so both its default and a given value are exercised. Values stay
 * within what the model, the loader's checks (ids, names) and the Java DSL accept (no blank names or conditions).
 */
final class RunbookGenerator {
    /** Pieces of hostile text; joined a few at a time. */
    private static final String[] PIECES = {
        "a", "word", "Two words", "\"", "'", ": ", ":", "#", " #x", "- ", "? ", "&a", "*a", "!tag", "%x", "@", "`",
        "|", ">", "[", "]", "{", "}", ",", "---", "...", "\\", "\\n", "\n", "\n\n", "\t", "\r", "\r\n", " ", "  lead",
        "trail  ", "yes", "no", "on", "off", "y", "null", "Null", "~", "true", "False", "0x1F", "1.0", "-0", "1e3",
        ".inf", ".nan", "1_000", "{{ incident.resource.name }}", "{{ x | default('y') }}", "{{", "}}", "é", "日本語",
        "😀", "\u202E", "\u200B", "\u0085", "\u2028", "\uFEFF", "Ω≈ç", "\u0007", "%", "<<", "=", "$ref"};
    /** ASCII punctuation for step names (letters, digits, spaces and ASCII punctuation). */
    private static final String NAME_PUNCT = " :#\"'{}[]-?|>&*!%@`,.\\/()=+<~^$;";
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Random r;
    private int stepCounter;

    RunbookGenerator(Random random) {
        this.r = random;
    }

    Runbook runbook() {
        stepCounter = 0;
        String id = letterOrDigit() + word("abcdefghijklmnopqrstuvwxyz0123456789-_.", 0, 30);
        var b = Runbook.builder(id);
        maybe(() -> b.name(nonBlank()));
        maybe(() -> b.version(r.nextBoolean() ? nonBlank() : pick("1", "1.0", "2", "0.9.1")));
        maybe(() -> b.author(text()));
        maybe(() -> b.description(text()));
        maybe(() -> b.labels(stringMap(4)));
        maybe(() -> b.enabled(r.nextBoolean()));
        maybe(() -> b.trigger(trigger()));
        maybe(() -> b.safety(safety()));
        if (r.nextBoolean()) {
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                b.parameter(parameter(i));
            }
        }
        b.steps(steps(1 + r.nextInt(3), 0));
        maybe(() -> b.notifications(new Notifications(notifications(), notifications())));
        if (r.nextBoolean()) {
            steps(1 + r.nextInt(2), 0).forEach(b::rollbackStep);
        }
        return b.build();
    }

    private Trigger trigger() {
        var t = Trigger.builder();
        maybe(() -> t.rootCauseReasons(stringSet()));
        maybe(() -> t.symptomReasons(stringSet()));
        maybe(() -> t.minConfidence(confidence()));
        maybe(() -> t.resourceKinds(stringSet()));
        maybe(() -> t.namespaces(stringSet()));
        maybe(() -> t.clusters(stringSet()));
        maybe(() -> t.labels(stringMap(3)));
        maybe(() -> t.when(nonBlank()));
        return t.build();
    }

    private Safety safety() {
        var s = Safety.builder();
        maybe(() -> s.requireApproval(r.nextBoolean()));
        maybe(() -> s.maxExecutionsPerHour(count()));
        maybe(() -> s.blastRadiusLimit(count()));
        maybe(() -> s.dryRunFirst(r.nextBoolean()));
        maybe(() -> s.minConfidence(confidence()));
        maybe(() -> s.cooldown(duration(false)));
        maybe(() -> s.minActionSpacing(duration(false)));
        maybe(() -> s.maxExecutionsPerResourcePerHour(count()));
        maybe(() -> s.maxActionsPerHour(count()));
        maybe(() -> {
            var limits = new LinkedHashMap<String, Integer>();
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                limits.put(nonBlank(), count());
            }
            s.maxActionPerResourcePerHour(limits);
        });
        maybe(() -> s.allowedNamespaces(stringSet()));
        maybe(() -> {
            int min = r.nextInt(5);
            s.replicas(min, min + r.nextInt(10));
        });
        maybe(() -> s.envWhitelist(stringSet()));
        maybe(() -> s.resumeOnRecovery(r.nextBoolean()));
        maybe(() -> s.pauseAfter(count(), duration(true)));
        return s.build();
    }

    private Parameter parameter(int index) {
        String name = "p" + index + "_" + word("abcdefghijklmnopqrstuvwxyz0123456789_", 0, 10);
        Optional<ParamValue> def = r.nextBoolean() ? Optional.of(value(2)) : Optional.empty();
        boolean secret = r.nextInt(3) == 0;
        boolean required = r.nextBoolean() ? Parameter.requiredByDefault(def) : r.nextBoolean();
        return new Parameter(name, r.nextBoolean() ? text() : "", def, secret, required);
    }

    private List<Step> steps(int n, int depth) {
        var out = new ArrayList<Step>();
        for (int i = 0; i < n; i++) {
            out.add(depth < 2 && r.nextInt(4) == 0 ? branch(depth) : action());
        }
        return out;
    }

    private String stepName() {
        // a counter keeps names unique in the runbook; the rest is hostile ASCII
        String name = "s" + (stepCounter++) + word(NAME_PUNCT + ALNUM, 0, 12);
        return name.stripTrailing();
    }

    private ActionStep action() {
        var b = ActionStep.builder(stepName(), r.nextInt(6) == 0 ? "run_runbook"
                : letterOrDigit() + word("abcdefghijklmnopqrstuvwxyz0123456789_-", 0, 15));
        maybe(() -> b.params(params()));
        maybe(() -> b.outputVar("v_" + word("abcdefghijklmnopqrstuvwxyz0123456789_", 0, 8)));
        maybe(() -> b.when(nonBlank()));
        maybe(() -> b.retry(retry()));
        maybe(() -> b.timeout(duration(true)));
        maybe(() -> b.expect(nonBlank()));
        maybe(() -> b.onFailure(pick(OnFailure.values())));
        maybe(() -> b.idempotent(r.nextBoolean()));
        return b.build();
    }

    private BranchStep branch(int depth) {
        String name = stepName();
        // a file may leave then out (a branch that does nothing when it holds); the Java DSL cannot say that
        List<Step> then = r.nextInt(8) == 0 ? List.of() : steps(1 + r.nextInt(2), depth + 1);
        List<Step> otherwise = r.nextBoolean() ? steps(1 + r.nextInt(2), depth + 1) : List.of();
        Optional<String> when = r.nextBoolean() ? Optional.of(nonBlank()) : Optional.empty();
        OnFailure onFailure = r.nextBoolean() ? pick(OnFailure.values()) : OnFailure.DEFAULT;
        return new BranchStep(name, nonBlank(), then, otherwise, when, onFailure);
    }

    private RetryPolicy retry() {
        int attempts = 1 + r.nextInt(6);
        return switch (r.nextInt(6)) {
            case 0 -> RetryPolicy.attempts(attempts);
            case 1 -> RetryPolicy.of(attempts, backoff());
            case 2 -> RetryPolicy.of(attempts, backoff()).withMultiplier(1 + r.nextInt(5) * 0.5);
            case 3 -> RetryPolicy.of(attempts, backoff()).withMaxBackoff(duration(false));
            case 4 -> RetryPolicy.fixed(attempts, duration(false));
            default -> new RetryPolicy(attempts, duration(false), 1 + r.nextDouble() * 999, duration(false));
        };
    }

    private Duration backoff() {
        return r.nextInt(3) == 0 ? RetryPolicy.DEFAULT_BACKOFF : duration(false);
    }

    /** Step params: hostile keys, any values; document keys ({@code patch}, ...) hold trees as the loader makes them. */
    private ParamValue.MapValue params() {
        var out = new LinkedHashMap<String, ParamValue>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String key = nonBlank();
            // the loader lifts params.expect into the step's expect and reads document keys' text as YAML
            if (!key.equals("expect") && !key.equals("patch") && !key.equals("manifest") && !key.equals("body")) {
                out.put(key, value(2));
            }
        }
        if (r.nextInt(4) == 0) {
            out.put(pick("patch", "manifest", "body"), r.nextBoolean() ? map(2) : list(2));
        }
        return new ParamValue.MapValue(out);
    }

    private ParamValue value(int depth) {
        int kind = r.nextInt(depth > 0 ? 9 : 7);
        return switch (kind) {
            case 0, 1, 2 -> new ParamValue.Scalar(text());
            case 3 -> new ParamValue.Scalar(r.nextBoolean() ? (long) r.nextInt(1000) - 500 : r.nextLong());
            case 4 -> new ParamValue.Scalar(pick(0.0, -0.0, 0.5, 1e-7, 1e18, 123.456, -2.5e300, r.nextDouble(), Double.NaN,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
            case 5 -> new ParamValue.Scalar(r.nextBoolean());
            case 6 -> ParamValue.Null.INSTANCE;
            case 7 -> map(depth - 1);
            default -> list(depth - 1);
        };
    }

    private ParamValue.MapValue map(int depth) {
        var out = new LinkedHashMap<String, ParamValue>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            out.put(nonBlank(), value(depth));
        }
        return new ParamValue.MapValue(out);
    }

    private ParamValue.ListValue list(int depth) {
        var out = new ArrayList<ParamValue>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            out.add(value(depth));
        }
        return new ParamValue.ListValue(out);
    }

    /** One notification per channel, as a file maps each channel to its params. */
    private List<Notification> notifications() {
        var out = new ArrayList<Notification>();
        var channels = new LinkedHashSet<String>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            channels.add(r.nextBoolean() ? pick("slack", "webhook", "teams") : nonBlank());
        }
        for (String c : channels) {
            ParamValue.MapValue params = switch (r.nextInt(3)) {
                case 0 -> new ParamValue.MapValue(Map.of("message", ParamValue.text(nonBlank())));
                case 1 -> {
                    var m = new LinkedHashMap<String, ParamValue>();
                    m.put("channel", ParamValue.text(nonBlank()));
                    m.put("message", ParamValue.text(nonBlank()));
                    yield new ParamValue.MapValue(m);
                }
                default -> map(2);
            };
            out.add(new Notification(c, params));
        }
        return out;
    }

    // ---- leaves ----

    private void maybe(Runnable r0) {
        if (r.nextBoolean()) {
            r0.run();
        }
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[r.nextInt(values.length)];
    }

    /** Any text, possibly empty or blank. */
    String text() {
        if (r.nextInt(5) == 0) {
            return word(ALNUM, 0, 10);
        }
        var sb = new StringBuilder();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    /** Text that is not blank (the Java DSL refuses blank names, reasons and conditions). */
    String nonBlank() {
        String s = text();
        return s.isBlank() ? s + "x" : s;
    }

    private Set<String> stringSet() {
        var out = new LinkedHashSet<String>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.add(nonBlank());
        }
        return out;
    }

    private Map<String, String> stringMap(int max) {
        var out = new LinkedHashMap<String, String>();
        int n = 1 + r.nextInt(max);
        for (int i = 0; i < n; i++) {
            out.put(nonBlank(), text());
        }
        return out;
    }

    private double confidence() {
        return pick(0.0, 1.0, 0.8, 0.95, 1e-7, 0.123456789, r.nextDouble());
    }

    private int count() {
        return r.nextBoolean() ? 1 + r.nextInt(20) : 1 + r.nextInt(Integer.MAX_VALUE - 1);
    }

    /** Durations of every shape the writer has: 0, ms, s, m, h, sub-millisecond and past a minute with a fraction. */
    private Duration duration(boolean positive) {
        Duration d = switch (r.nextInt(7)) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofMillis(r.nextInt(100_000));
            case 2 -> Duration.ofSeconds(r.nextInt(100_000));
            case 3 -> Duration.ofMinutes(r.nextInt(1000));
            case 4 -> Duration.ofHours(r.nextInt(100));
            case 5 -> Duration.ofNanos(r.nextLong() & 0xFFFF_FFFF_FFFFL);
            default -> Duration.ofSeconds(60 + r.nextInt(10_000), r.nextInt(1000) * 1_000_000L);
        };
        return positive && d.isZero() ? Duration.ofSeconds(1) : d;
    }

    private char letterOrDigit() {
        return ALNUM.charAt(r.nextInt(ALNUM.length()));
    }

    private String word(String alphabet, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        var sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
