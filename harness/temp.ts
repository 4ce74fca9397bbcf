/**
 * Temporary folders that do not outlive the process: the engine tests, the demo and the bench
 * each make several, and a run used to leave ~14 MB behind in the temp directory.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync } from "node:fs";
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

// A memory-backed folder needs this much free room to take a test run: the policy pack's
// registry install alone writes ~100 MB; a container's default /dev/shm (64 MB) is too small.
const MEMORY_FOLDER_MIN_FREE_BYTES = 2 * 1024 ** 3;

/**
 * Where a test run makes its folder ({@link RUN_TEMP_VARIABLE}): `/dev/shm` when it is a
 * writable memory file system with room to spare, else the temp directory. A run writes
 * ~150 MB of small files (npm installs, copies, program folders) and removes them again; on this
 * project's VM disk, writing them took more system CPU than the tests around them (the policy
 * pack's install: 9 s of system time on ext4, 2 s in memory).
 */
export function runTempParent(candidate = "/dev/shm"): string {
    try {
        accessSync(candidate, constants.W_OK);
        const { bavail, bsize, type } = statfsSync(candidate);
        // 0x01021994: TMPFS_MAGIC (statfs(2)); anything else is a disk that only looks like /dev/shm.
        if (type === 0x01021994 && bavail * bsize >= MEMORY_FOLDER_MIN_FREE_BYTES) return candidate;
    } catch {
        // Missing or unreadable (not Linux): the temp directory.
    }
    return os.tmpdir();
}

// A run's folder is named after the process that made it, so a later run can tell a forgotten one.
const RUN_FOLDER = /^auth0-deny-list-run-(\d+)-/;

/**
 * Makes the folder of a test run ({@link RUN_TEMP_VARIABLE}) in `parent`, first removing the
 * folders of earlier runs whose process is gone: a run stopped by Ctrl-C or a kill never gets to
 * remove its own, and in memory (`/dev/shm`) one would hold its ~150 MB until the machine restarts.
 */
export function makeRunFolder(parent = runTempParent()): string {
    for (const name of readdirSync(parent)) {
        const pid = Number(RUN_FOLDER.exec(name)?.[1] ?? Number.NaN);
        if (Number.isInteger(pid) && !isRunning(pid)) rmSync(path.join(parent, name), { recursive: true, force: true });
    }
    return mkdtempSync(path.join(parent, `auth0-deny-list-run-${process.pid}-`));
}

// Signal 0 only asks whether the process exists; EPERM means it does, under another user.
function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

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
