package dev.runbook.core.expression.internal;

import java.util.Optional;
import java.util.Set;

/**
 * Names that cannot be variables (runbook parameters, step outputs, result columns) or helpers: keywords and
 * operator words, Java class names that MVEL resolved by themselves ({@code System}, {@code Runtime}, ...) and
 * any other {@code java.lang} class, and the first segments of Java package names ({@code java}, {@code dev},
 * ...). The evaluator resolves none of them, but a runbook written with them would read as a class reference and
 * would be unsafe under any MVEL-style evaluator, so it is refused with a message naming the variable.
 */
public final class ReservedNames {

  /** The class names MVEL 2.5.2 knows without an import (its {@code AbstractParser.CLASS_LITERALS}). */
  static final Set<String> MVEL_CLASS_NAMES = Set.of("Array", "Boolean", "Byte", "CharSequence", "Character",
      "Class", "ClassLoader", "Double", "Exception", "Float", "Integer", "Long", "Math", "Number", "Object",
      "Runtime", "Short", "String", "StringBuilder", "System", "Thread", "Void", "boolean", "byte", "char",
      "double", "float", "int", "long", "short");

  /** First segments of package names a root could shadow. */
  static final Set<String> PACKAGE_ROOTS = Set.of("java", "javax", "jdk", "sun", "com", "org", "net", "io", "dev",
      "jakarta", "groovy", "kotlin", "scala");

  /** MVEL's word operators and literals not already among the sandbox's keywords. */
  private static final Set<String> WORDS = Set.of("true", "false", "null", "nil", "empty", "contains", "stacklang",
      "convertable_to", "soundslike", "strsim", "import_static");

  private ReservedNames() {}

  /**
   * Why a name cannot be a variable or helper name, if it cannot.
   *
   * @param name the proposed name
   * @return the reason, or empty if the name is fine
   */
  public static Optional<String> problem(String name) {
    if (!Sandbox.isIdentifier(name)) {
      return Optional.of("'" + name + "' is not an identifier (letters, digits and _, not starting with a digit)");
    }
    if (NamePolicy.KEYWORDS.contains(name) || WORDS.contains(name)) {
      return Optional.of("'" + name + "' is a keyword of the expression language");
    }
    if (name.startsWith(FunctionTable.MANGLE_PREFIX)) {
      return Optional.of("names starting with '" + FunctionTable.MANGLE_PREFIX + "' are reserved");
    }
    if (MVEL_CLASS_NAMES.contains(name) || isJavaLangClass(name)) {
      return Optional.of("'" + name + "' is the name of a Java class");
    }
    if (PACKAGE_ROOTS.contains(name)) {
      return Optional.of("'" + name + "' is the first part of Java package names");
    }
    return Optional.empty();
  }

  private static boolean isJavaLangClass(String name) {
    if (!Character.isUpperCase(name.charAt(0))) {
      return false;
    }
    try {
      // initialize = false and the boot loader: this only asks whether the JDK has such a class
      Class.forName("java.lang." + name, false, null);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
