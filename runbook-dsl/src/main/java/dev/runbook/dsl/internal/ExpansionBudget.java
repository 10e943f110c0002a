package dev.runbook.dsl.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Bounds the text of one file once aliases are expanded: every scalar counts its UTF-8 bytes, every alias the
 * expanded bytes of what it points to. snakeyaml-engine limits aliases to collections only, so one large anchored
 * scalar aliased many times passes it and costs gigabytes later (templates checked, values rendered). The count runs
 * on the parser's events as the composer pulls them, so a hostile document is refused at the alias that crosses
 * the bound, before any tree is read and with that alias's position. One budget spans every YAML part of a file
 * (Markdown front matter and blocks, documents inside block scalars). Not thread-safe: one per file read.
 */
public final class ExpansionBudget {
    private final long limit;
    private long used;
    private boolean exceeded;
    private Optional<Mark> last = Optional.empty();

    /** A budget of {@code limit} bytes. */
    public ExpansionBudget(long limit) {
        this.limit = limit;
    }

    /** The bound, in bytes. */
    public long limit() {
        return limit;
    }

    /** Whether a document of this file has already crossed the bound. */
    public boolean exceeded() {
        return exceeded;
    }

    /**
     * Where the last event read started: where snakeyaml was when it refused a document without saying where (more
     * aliases to collections than allowed).
     */
    Optional<Mark> lastMark() {
        return last;
    }

    /** This parser's events, counted against the budget; {@link Exceeded} is thrown at the crossing event. */
    Parser count(Parser parser) {
        last = Optional.empty(); // a mark of an earlier document would point into other text
        return new Counting(parser);
    }

    /** The bound was crossed at {@code mark} (the alias or scalar whose text crossed it). */
    static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Optional<Mark> mark;
        private final long total;
        private final boolean alias;

        Exceeded(Optional<Mark> mark, long total, boolean alias) {
            super(null, null, false, false);
            this.mark = mark;
            this.total = total;
            this.alias = alias;
        }

        /** Whether an alias (not a written value) crossed the bound. */
        boolean alias() {
            return alias;
        }

        Optional<Mark> mark() {
            return mark;
        }

        long total() {
            return total;
        }
    }

    private void add(long bytes, Event at) {
        used += bytes;
        if (used > limit) {
            exceeded = true;
            throw new Exceeded(at.getStartMark(), used, at instanceof AliasEvent);
        }
    }

    /** An open collection: its anchor (if any) and the expanded bytes of its content so far. */
    private static final class Open {
        final Optional<String> anchor;
        long bytes;

        Open(Optional<String> anchor) {
            this.anchor = anchor;
        }
    }

    private final class Counting implements Parser {
        private final Parser parser;
        private final Map<String, Long> anchored = new HashMap<>();
        private final Deque<Open> open = new ArrayDeque<>();

        Counting(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return parser.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            Event e = parser.next();
            last = e.getStartMark();
            if (e instanceof ScalarEvent s) {
                long bytes = utf8Length(s.getValue());
                s.getAnchor().ifPresent(a -> anchored.put(a.getValue(), bytes));
                contribute(bytes, e);
            } else if (e instanceof AliasEvent a) {
                // An alias to an anchor still open (a recursive alias) counts nothing here; the reader refuses it.
                contribute(anchored.getOrDefault(a.getAlias().getValue(), 0L), e);
            } else if (e instanceof CollectionStartEvent c) {
                open.push(new Open(((NodeEvent) c).getAnchor().map(x -> x.getValue())));
            } else if (e.getEventId() == Event.ID.SequenceEnd || e.getEventId() == Event.ID.MappingEnd) {
                Open done = open.pop();
                done.anchor.ifPresent(a -> anchored.put(a, done.bytes));
                if (!open.isEmpty()) {
                    open.peek().bytes += done.bytes;
                }
            }
            return e;
        }

        private void contribute(long bytes, Event at) {
            if (!open.isEmpty()) {
                open.peek().bytes += bytes;
            }
            add(bytes, at);
        }
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
