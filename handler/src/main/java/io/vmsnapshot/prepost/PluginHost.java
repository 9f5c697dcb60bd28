package io.vmsnapshot.prepost;

/**
 * The pre/post-script framework as the backup sees it. {@link #precheck()} is cheap and runs
 * nothing; {@link #run} runs one phase of every plugin and never throws for a script's failure —
 * failures are in the result. The post phase must be run whenever the pre phase was started.
 */
public interface PluginHost {
    Precheck precheck();

    PhaseResult run(ScriptPhase phase, ScriptContext context);
}
