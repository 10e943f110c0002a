package dev.runbook.dsl.internal;

import dev.runbook.dsl.Diagnostic;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A file's bytes as UTF-8 text, or the line and column of the first byte that is not UTF-8. */
public final class Utf8Text {
    private Utf8Text() {
    }

    /**
     * Decodes the bytes strictly.
     *
     * @return the text, or empty with a diagnostic added at the first byte that is not UTF-8
     */
    public static Optional<String> decode(byte[] bytes, String file, List<Diagnostic> out) {
        if (ascii(bytes)) {
            // Most runbooks are ASCII, which is UTF-8 as it is: skip the decoder and its buffer.
            return Optional.of(new String(bytes, StandardCharsets.US_ASCII));
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length); // UTF-8 never needs more chars than bytes
        CoderResult result = decoder.decode(in, text, true);
        if (!result.isError()) {
            decoder.flush(text);
            return Optional.of(text.flip().toString());
        }
        // Located like the parser locates: line after line breaks, column in code points.
        String before = text.flip().toString();
        int lineStart = before.lastIndexOf('\n') + 1;
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = before.codePointCount(lineStart, before.length()) + 1;
        out.add(new Diagnostic(file, line, column, String.format(Locale.ROOT, "the file is not UTF-8 text (byte 0x%02X "
                + "here); save it as UTF-8", bytes[in.position()] & 0xFF)));
        return Optional.empty();
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
