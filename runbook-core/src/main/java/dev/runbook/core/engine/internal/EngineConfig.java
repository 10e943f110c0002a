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
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Everything an execution needs from its engine; built once by the engine's builder.
 *
 * @param attemptThreads       the engine's own threads for action attempts (never the host's executor, so a
 *                             small host pool cannot starve the timeouts)
 * @param leaseRenewal         the engine's own timer that renews the locks of running executions
 * @param attemptGrace         how long a timed-out or cancelled attempt gets to end after its interrupt
 * @param abandonedAttemptWait how long the rollback waits for an abandoned attempt before the execution ends
 *                             {@code ABANDONED}
 * @param leaseRenewalInterval how often held locks are renewed
 * @param journal              where running executions are recorded ahead of every change
 * @param owner                this engine's identity in the journal (its executions' owner)
 * @param backend              where approved plans execute (empty: in-process)
 * @param selection            how matching runbooks are ranked and how far an incident escalates
 */
public record EngineConfig(
        Map<String, CompiledRunbook> runbooks,
        RunbookMatcher matcher,
        ActionRegistry actions,
        GuardStore guardStore,
        dev.runbook.core.engine.ExecutionJournal journal,
        String owner,
        ApprovalGateway approvalGateway,
        ApprovalPolicy approvalPolicy,
        Duration approvalTimeout,
        Map<String, Notifier> notifiers,
        List<ExecutionListener> listeners,
        Clock clock,
        Sleeper sleeper,
        LaneThreads attemptThreads,
        ScheduledExecutorService leaseRenewal,
        List<ParameterResolver> parameterResolvers,
        KillSwitch killSwitch,
        String executedBy,
        OptionalInt maxActionsPerHour,
        Optional<Duration> minActionSpacing,
        Duration lockTtl,
        Duration leaseRenewalInterval,
        Duration defaultStepTimeout,
        Duration attemptGrace,
        Duration abandonedAttemptWait,
        int maxChainDepth,
        Supplier<String> ids,
        Optional<dev.runbook.core.engine.ExecutionBackend> backend,
        Selection selection) {
}
