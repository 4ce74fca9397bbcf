/**
 * Temporary folders that do not outlive the process: the engine tests, the demo and the bench
 * each make several, and a run used to leave ~14 MB behind in the temp directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const made = new Set<string>();

// `exit` also fires after a failed test run or an uncaught error; only a hard kill skips it.
process.once("exit", () => {
    for (const dir of made) removeTempDir(dir);
});

/** A new folder `<tmpdir>/<prefix>XXXXXX`, removed when the process exits (or earlier by {@link removeTempDir}). */
export function makeTempDir(prefix: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    made.add(dir);
    return dir;
}

/** Removes a folder made by {@link makeTempDir} now. */
export function removeTempDir(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    made.delete(dir);
}
