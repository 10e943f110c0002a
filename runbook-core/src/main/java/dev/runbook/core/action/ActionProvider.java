package dev.runbook.core.action;

import java.util.List;

/**
 * A set of actions, found through {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.runbook.core.action.ActionProvider}. It needs a public no-argument
 * constructor for that; hosts may also register configured instances with the engine builder.
 */
public interface ActionProvider {

    /** The actions this provider contributes. */
    List<Action> actions();

    /** A name for error messages, by default the class name. */
    default String id() {
        return getClass().getName();
    }
}
