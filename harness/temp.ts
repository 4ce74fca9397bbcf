/**
 * Temporary folders that do not outlive the process: the engine tests, the demo and the bench
 * each make several, and a run used to leave ~14 MB behind in the temp directory.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const made = new Set<string>();

// `exit` also fires after a failed test run or an uncaught error; only a hard kill skips it.
process.once("exit", () => {
    for (const dir of made) removeTempDir(dir);
});

/**
 * Names a folder of the whole test run: mocha ends its parallel workers without their `exit`
 * handlers, so what they make goes there, and the run's main process removes it (its global
 * fixtures). Processes started by a worker inherit it.
 */
export const RUN_TEMP_VARIABLE = "AUTH0_DENY_LIST_RUN_TEMP";

/**
 * A new folder `<tmpdir>/<prefix>XXXXXX` (inside the run's folder under a test run), removed when
 * the process exits (or earlier by {@link removeTempDir}).
 */
export function makeTempDir(prefix: string): string {
    const run = process.env[RUN_TEMP_VARIABLE];
    if (run) mkdirSync(run, { recursive: true });
    const dir = mkdtempSync(path.join(run || os.tmpdir(), prefix));
    made.add(dir);
    return dir;
}

/** Removes a folder made by {@link makeTempDir} now. */
export function removeTempDir(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    made.delete(dir);
}
