package dev.runbook.core.engine.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.approval.ApprovalPolicy;
import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.KillSwitch;
import dev.runbook.core.engine.ParameterResolver;
import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.match.RunbookMatcher;
import dev.runbook.core.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/** Everything an execution needs from its engine; built once by the engine's builder. */
public record EngineConfig(
        Map<String, CompiledRunbook> runbooks,
        RunbookMatcher matcher,
        ActionRegistry actions,
        GuardStore guardStore,
        ApprovalGateway approvalGateway,
        ApprovalPolicy approvalPolicy,
        Duration approvalTimeout,
        Map<String, Notifier> notifiers,
        List<ExecutionListener> listeners,
        Clock clock,
        Sleeper sleeper,
        ExecutorService executor,
        List<ParameterResolver> parameterResolvers,
        KillSwitch killSwitch,
        String executedBy,
        OptionalInt maxActionsPerHour,
        Optional<Duration> minActionSpacing,
        Duration lockTtl,
        Duration defaultStepTimeout,
        int maxChainDepth,
        Supplier<String> ids) {
}
