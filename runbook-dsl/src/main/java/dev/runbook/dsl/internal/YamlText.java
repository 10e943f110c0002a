package dev.runbook.dsl.internal;

import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.internal.PositionMapper.Position;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/** Composing YAML text safely: hardened settings and syntax errors turned into diagnostics. */
public final class YamlText {
    /** Collections that aliases may point to in one document; runbooks rarely use any, bombs use many. */
    static final int MAX_ALIASES = 20;
    /**
     * One schema for every parse: building it compiles its resolvers' regular expressions, which cost as much as
     * composing a small file. It is only read after construction (resolving scalars' tags), so sharing it is safe.
     */
    private static final JsonSchema SCHEMA = new JsonSchema();

    private YamlText() {
    }

    /**
     * Settings for runbook text: the YAML 1.2 JSON schema (so {@code yes}, {@code on}, {@code 0x1F}, {@code ~} stay
     * text), few aliases, and a code point limit just above {@code maxSize} so nothing larger is even scanned.
     */
    public static LoadSettings settings(String label, long maxSize) {
        return builder(label, maxSize).build();
    }

    private static org.snakeyaml.engine.v2.api.LoadSettingsBuilder builder(String label, long maxSize) {
        return LoadSettings.builder()
                .setLabel(label)
                .setSchema(SCHEMA)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE - 1, Math.max(1024, maxSize + 1)))
                .setUseMarks(true);
    }

    /**
     * Composes one YAML document, its scalars counted against the file's expansion budget.
     *
     * @return the root node, or empty (with a diagnostic added) for a syntax error, control characters, an empty
     *         text or a document past the budget (empty without a diagnostic when an earlier part of the file already
     *         used the budget up: that was reported once)
     */
    public static Optional<Node> compose(String text, String file, long maxSize, ExpansionBudget budget,
                                         PositionMapper mapper, String what, List<Diagnostic> out) {
        if (budget.exceeded() || !ControlCharacters.report(text, file, mapper, what, out)) {
            return Optional.empty();
        }
        try {
            // The whole text in one read: snakeyaml-engine 2.10's StreamReader throws IndexOutOfBoundsException when
            // a surrogate pair (an emoji) straddles the end of its 1024-character window.
            LoadSettings settings = builder(file, maxSize).setBufferSize(Math.max(1024, text.length() + 2)).build();
            var parser = budget.count(new ParserImpl(settings, new StreamReader(settings, text)));
            Optional<Node> node = new Composer(settings, parser).getSingleNode();
            if (node.isEmpty()) {
                Position p = mapper.at(0, 0);
                out.add(new Diagnostic(file, p.line(), p.column(), what + " is empty"));
            }
            return node;
        } catch (ExpansionBudget.Exceeded e) {
            Position p = e.mark().map(m -> mapper.at(m.getLine(), m.getColumn())).orElse(mapper.at(0, 0));
            out.add(new Diagnostic(file, p.line(), p.column(), what + " is refused: its text is more than "
                    + budget.limit() + " bytes once aliases are expanded (this " + (e.alias() ? "alias" : "value")
                    + " brings it to " + e.total() + "); runbooks repeat little text: write the values out, or raise "
                    + "RunbookLoader.builder().maxExpandedSize(...)"));
        } catch (ReaderException e) {
            // Only what the scan above does not know (a lone surrogate); located by snakeyaml's code point index.
            Position p = ControlCharacters.position(text, e.getPosition(), mapper);
            out.add(new Diagnostic(file, p.line(), p.column(), what + " is not valid YAML: character U+"
                    + ControlCharacters.hex(e.getCodePoint()) + " is not allowed; remove it"));
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            Position p = mark.map(m -> mapper.at(m.getLine(), m.getColumn())).orElse(mapper.at(0, 0));
            String line = mark.map(m -> lineOf(text, m.getLine())).orElse("");
            String context = e.getContext() == null ? "" : " (" + e.getContext().trim() + ")";
            String hint = line.contains("{{")
                    ? "; a value that holds {{ }} must be quoted, for instance name: \"{{ incident.resource.name }}\""
                    : "";
            out.add(new Diagnostic(file, p.line(), p.column(), what + " is not valid YAML: "
                    + e.getProblem().trim() + context + hint));
        } catch (YamlEngineException e) {
            // snakeyaml's own refusals carry no mark; the event it refused at (an alias, for the alias limit) has one.
            Position p = budget.lastMark().map(m -> mapper.at(m.getLine(), m.getColumn())).orElse(mapper.at(0, 0));
            out.add(new Diagnostic(file, p.line(), p.column(), what + " is refused: " + firstLine(e.getMessage())
                    + " (runbooks need no more than " + MAX_ALIASES + " aliases and must be smaller than " + maxSize
                    + " bytes)"));
        } catch (StackOverflowError e) {
            // Deeply nested collections exhaust the composer's recursion: a hostile file, not a runbook.
            Position p = mapper.at(0, 0);
            out.add(new Diagnostic(file, p.line(), p.column(), what + " is refused: collections nested too deeply"));
        }
        return Optional.empty();
    }

    static String lineOf(String text, int line0) {
        String[] lines = text.split("\n", -1);
        return line0 >= 0 && line0 < lines.length ? lines[line0] : "";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable YAML";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
