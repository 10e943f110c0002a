package dev.runbook.neo4j;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.neo4j.driver.Driver;
import org.neo4j.harness.Neo4j;

/** Marks a test class that gets the shared harness's {@link Driver} or {@link Neo4j} as parameters. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Neo4jTest.Resolver.class)
public @interface Neo4jTest {

    /** Resolves {@link Driver} and {@link Neo4j} parameters from {@link SharedNeo4j}. */
    final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            Class<?> t = p.getParameter().getType();
            return t == Driver.class || t == Neo4j.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            SharedNeo4j shared = SharedNeo4j.get(e);
            return p.getParameter().getType() == Driver.class ? shared.driver : shared.neo4j;
        }
    }
}
