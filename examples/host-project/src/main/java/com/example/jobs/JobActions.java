package com.example.jobs;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The host's own action, {@code pause_job}, on its {@link JobScheduler}. The host hands it to
 * {@code RunbookEngine.builder().actionProvider(...)} (it needs the host's scheduler, so it is not listed for
 * ServiceLoader).
 */
public final class JobActions implements ActionProvider {
    private final JobScheduler scheduler;

    /** Actions on this scheduler. */
    public JobActions(JobScheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public String id() {
        return "jobs";
    }

    @Override
    public List<Action> actions() {
        return List.of(new PauseJob());
    }

    private final class PauseJob implements Action {
        @Override
        public String name() {
            return "pause_job";
        }

        @Override
        public String description() {
            return "Pauses a batch job so it stops loading the cluster.";
        }

        @Override
        public ParamSchema schema() {
            return ParamSchema.of(ParamSpec.required("job", ParamType.STRING, "the job's name"),
                    ParamSpec.optional("reason", ParamType.STRING, "why, for the scheduler's log"));
        }

        @Override
        public boolean mutating() {
            return true;
        }

        @Override
        public ActionResult execute(ActionContext context) throws ActionException {
            String job = context.string("job");
            boolean wasPaused = scheduler.paused(job)
                    .orElseThrow(() -> ActionException.permanent("no job named '" + job + "'"));
            if (context.dryRun()) {
                return ActionResult.of(Map.of("job", job, "paused", true, "changed", !wasPaused));
            }
            scheduler.pause(job);
            return ActionResult.of(Map.of("job", job, "paused", true, "changed", !wasPaused));
        }
    }
}
