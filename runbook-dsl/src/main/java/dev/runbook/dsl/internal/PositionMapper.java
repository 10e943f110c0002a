package dev.runbook.dsl.internal;

/**
 * Turns a parser position (0-based line and column inside the text that was parsed) into a 1-based position in
 * the file. YAML files use {@link #identity()}; YAML embedded in another file (a Markdown code block, a block
 * scalar holding a patch) is shifted to where it sits in the file.
 */
@FunctionalInterface
public interface PositionMapper {

    /** The file position of this 0-based parser position. */
    Position at(int line0, int column0);

    /** Position in a file that was parsed whole. */
    static PositionMapper identity() {
        return (l, c) -> new Position(l + 1, c + 1);
    }

    /** Position of text that starts {@code lines} lines and {@code columns} columns into the file (0-based). */
    static PositionMapper shifted(int lines, int columns) {
        return (l, c) -> new Position(l + lines + 1, c + columns + 1);
    }

    /** Text parsed from a part of this text: its line 0 is this text's {@code line0}, every line indented by {@code indent}. */
    default PositionMapper nested(int line0, int indent) {
        return (l, c) -> at(line0 + l, indent + c);
    }

    /** Text parsed from a single-line part of this text starting at ({@code line0}, {@code column0}). */
    default PositionMapper inline(int line0, int column0) {
        return (l, c) -> l == 0 ? at(line0, column0 + c) : at(line0 + l, c);
    }

    /** A 1-based file position. */
    record Position(int line, int column) {
    }
}
