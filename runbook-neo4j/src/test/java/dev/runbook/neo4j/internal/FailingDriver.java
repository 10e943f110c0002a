package dev.runbook.neo4j.internal;

import java.lang.reflect.Proxy;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.TransientException;

/** A driver that fails the way a schema deadlock does, without a database. */
final class FailingDriver {
    private FailingDriver() {
    }

    /** Sessions whose CREATE statements always deadlock and whose other statements fail. */
    static Driver deadlocking() {
        Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "run" -> {
                        if (String.valueOf(args[0]).startsWith("CREATE")) {
                            throw new TransientException("Neo.TransientError.Transaction.DeadlockDetected", "deadlock");
                        }
                        throw new IllegalStateException("no SHOW in this test");
                    }
                    case "close" -> null;
                    case "toString" -> "deadlocking session";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (Driver) Proxy.newProxyInstance(Driver.class.getClassLoader(), new Class<?>[] {Driver.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "session" -> session;
                    case "close" -> null;
                    case "toString" -> "deadlocking driver";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
