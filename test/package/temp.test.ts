/**
 * The harness's temporary folders (installed projects, program runners, CLI test files) are gone
 * when the process ends, also when it ends with an uncaught error, as a failing test run does.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeRunFolder, RUN_TEMP_VARIABLE, runTempParent } from "../../harness/temp";

const TMPFS_MAGIC = 0x01021994;
const TEMP = path.join(__dirname, "..", "..", "harness", "temp.ts");

describe("harness temp folders", () => {
    for (const ending of ["exits normally", "throws"]) {
        it(`are removed when the process ${ending}`, () => {
            const script = `
                const { makeTempDir } = require(${JSON.stringify(TEMP)});
                const dir = makeTempDir("auth0-deny-list-temp-test-");
                require("node:fs").writeFileSync(require("node:path").join(dir, "file"), "x");
                console.log(dir);
                ${ending === "throws" ? 'throw new Error("a failing test");' : ""}
            `;
            const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { encoding: "utf8" });
            assert.equal(run.status, ending === "throws" ? 1 : 0, run.stderr);
            const dir = run.stdout.trim();
            assert.match(dir, /auth0-deny-list-temp-test-/);
            assert.equal(existsSync(dir), false, `${dir} is still there`);
        });
    }

    it("a process killed outright, as mocha ends its workers, leaves its folders inside the run's folder, which the run removes", () => {
        const run = mkdtempSync(path.join(os.tmpdir(), "auth0-deny-list-run-test-"));
        try {
            const script = `
                const { makeTempDir } = require(${JSON.stringify(TEMP)});
                console.log(makeTempDir("auth0-deny-list-temp-test-"));
                process.kill(process.pid, "SIGKILL");
            `;
            const killed = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
                encoding: "utf8",
                env: { ...process.env, [RUN_TEMP_VARIABLE]: run },
            });
            assert.equal(killed.signal, "SIGKILL");
            const dir = killed.stdout.trim();
            assert.equal(path.dirname(dir), run);
            assert.ok(existsSync(dir), "no exit handler ran: only the run's teardown removes it");
        } finally {
            rmSync(run, { recursive: true, force: true });
        }
    });

    it("a run's folder goes in memory only where a memory file system is: elsewhere, the temp directory", () => {
        assert.equal(runTempParent(path.join(os.tmpdir(), "auth0-deny-list-no-such-folder")), os.tmpdir());
        // This checkout is on a disk here (on a memory file system, only the missing folder is tested).
        if (statfsSync(__dirname).type !== TMPFS_MAGIC) assert.equal(runTempParent(__dirname), os.tmpdir());
    });

    it("a run's folder replaces those of earlier runs whose process is gone, and no other", () => {
        const parent = mkdtempSync(path.join(os.tmpdir(), "auth0-deny-list-runs-test-"));
        try {
            const gone = spawnSync(process.execPath, ["-e", ""]).pid;
            const stale = path.join(parent, `auth0-deny-list-run-${gone}-abc123`);
            const live = path.join(parent, `auth0-deny-list-run-${process.pid}-def456`);
            const other = path.join(parent, "auth0-deny-list-run-something");
            for (const dir of [stale, live, other]) mkdirSync(dir);
            const made = makeRunFolder(parent);
            assert.match(path.basename(made), new RegExp(`^auth0-deny-list-run-${process.pid}-`));
            assert.deepEqual(
                readdirSync(parent).sort(),
                [path.basename(made), path.basename(live), path.basename(other)].sort(),
            );
        } finally {
            rmSync(parent, { recursive: true, force: true });
        }
    });
});
