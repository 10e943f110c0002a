package dev.runbook.core.expression.internal;

import static dev.runbook.core.expression.internal.Sandbox.ALLOWED_METHODS;
import static dev.runbook.core.expression.internal.Sandbox.suggestion;
import static dev.runbook.core.expression.internal.Sandbox.violation;

import dev.runbook.core.expression.internal.Sandbox.Token;
import java.util.Locale;
import java.util.Set;

/**
 * The sandbox's name policy ({@link Sandbox}): the keywords and literal words a bare identifier may or may not be,
 * and which names may follow {@code .} / {@code .?}: properties (never containing "class", never a reflective entry
 * point or mutator) and calls to {@link Sandbox#ALLOWED_METHODS} only.
 */
final class NamePolicy {

  /** MVEL keywords and word operators: refused as bare identifiers and properties, and as names (ReservedNames). */
  static final Set<String> KEYWORDS = Set.of(
      "new", "def", "function", "import", "import_static", "foreach", "for", "while", "do", "until",
      "if", "else", "return", "instanceof", "is", "with", "assert", "isdef", "empty", "var", "this",
      "in", "nil", "switch", "case", "default", "break", "continue", "throw", "try", "catch",
      "finally", "class", "static", "package", "synchronized", "soundslike", "strsim",
      "convertable_to", "modify", "macro", "proto", "typeof", "interface", "super", "void",
      "and", "or", "not");

  /** The bare identifiers that are literals, not variables. */
  static final Set<String> LITERAL_WORDS = Set.of("true", "false", "null");

  /**
   * Property names refused after a dot (lower-cased; anything containing "class" is refused too):
   * reflective entry points and mutators. Plain data keys with these names stay reachable with
   * an index, e.g. {@code incident['put']}.
   */
  private static final Set<String> DENIED_MEMBERS = Set.of(
      "getclass", "forname", "classloader", "getclassloader", "getruntime", "exec",
      "invoke", "newinstance", "declaredmethods", "getdeclaredmethods", "getdeclaredmethod",
      "getmethod", "getmethods", "declaredfields", "getdeclaredfields", "getdeclaredfield", "getfield",
      "getmodule", "protectiondomain", "getprotectiondomain", "unsafe", "wait", "notify", "notifyall",
      "finalize", "clone", "lookup", "setaccessible", "put", "remove", "clear", "add", "set", "putall",
      "addall", "removeall", "retainall", "replaceall", "compute", "merge", "iterator", "entryset");

  private NamePolicy() {}

  static void checkMember(String s, Token t, boolean call) {
    String name = t.text();
    String lower = name.toLowerCase(Locale.ROOT);
    if (call) {
      if (!ALLOWED_METHODS.contains(name)) {
        throw violation("method '" + name + "' is not allowed (allowed methods: "
            + String.join(", ", ALLOWED_METHODS) + ")" + suggestion(name, ALLOWED_METHODS), s, t.start());
      }
      return;
    }
    if (lower.contains("class") || DENIED_MEMBERS.contains(lower) || KEYWORDS.contains(name)
        || name.startsWith(FunctionTable.MANGLE_PREFIX)) {
      throw violation("property '" + name + "' is not allowed", s, t.start());
    }
  }
}
