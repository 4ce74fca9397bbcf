/**
 * Mocha's global fixtures (`.mocharc.json` requires this file): what the run's main process does
 * once, around every worker. It makes the run's folder, where the workers make their temporary
 * folders (harness/temp.ts) and the installed project they share (harness/install.ts), and
 * removes it at the end: mocha ends its workers without their `exit` handlers, which left about
 * 100 MB behind per run.
 */
import { rmSync } from "node:fs";
import { makeRunFolder, RUN_TEMP_VARIABLE } from "../../harness/temp";

/**
 * Before any worker starts (they inherit the environment): the run's folder for temporary folders,
 * in memory when the machine has room for it.
 */
export function mochaGlobalSetup(): void {
    process.env[RUN_TEMP_VARIABLE] = makeRunFolder();
}

/** After every worker is done: the shared installed project goes, and every temporary folder of the run. */
export function mochaGlobalTeardown(): void {
    const run = process.env[RUN_TEMP_VARIABLE];
    if (run) rmSync(run, { recursive: true, force: true });
}
