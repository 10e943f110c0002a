package dev.runbook.core.expression.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Calls registered helpers: the static methods of the {@link FunctionTable}, and nothing else. */
final class Helpers {

  private Helpers() {}

  /**
   * Calls a helper with read-only values and hands back a read-only copy of what it returned, so that a custom
   * helper returning some Java object gives expressions its text, never the object.
   *
   * @param m the helper's method, from the function table
   * @param args the arguments
   * @return the result: a Map, List, String, Number, Boolean or null
   */
  static Object invoke(Method m, Object[] args) {
    try {
      return SafeCopy.copy(m.invoke(null, args));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new HelperException(m.getName() + ": " + cause);
    } catch (IllegalArgumentException e) {
      throw new EvaluationFailure(m.getName() + "() cannot take these arguments: " + e.getMessage());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("helper " + m + " is not accessible", e);
    }
  }
}
