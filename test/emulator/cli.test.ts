import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";

const CLI = join(__dirname, "..", "..", "emulator", "cli.ts");

/** Runs the CLI from source (through tsx) and collects its output. */
function run(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", CLI, ...args], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const output = { stdout: "", stderr: "" };
    child.stdout.on("data", (chunk) => {
        output.stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
        output.stderr += chunk;
    });
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    return { child, output, exited };
}

/** Resolves with the printed base URL once the CLI is ready. */
async function started(child: ChildProcess, output: { stdout: string }): Promise<string> {
    const pattern = /^ {2}AUTH0_DOMAIN=(http:\/\/127\.0\.0\.1:\d+)$/m;
    while (!pattern.test(output.stdout)) {
        if (child.exitCode !== null) throw new Error(`CLI exited early:\n${output.stdout}`);
        await once(child.stdout as NodeJS.ReadableStream, "data");
    }
    return (pattern.exec(output.stdout) as RegExpExecArray)[1];
}

describe("emulator CLI", () => {
    for (const [signal, args, env] of [
        ["SIGTERM", ["--port", "0"], {}],
        ["SIGINT", [], { AUTH0_EMULATOR_PORT: "0" }],
    ] as const) {
        it(`prints the URL and credentials, serves, and stops cleanly on ${signal}`, async () => {
            const { child, output, exited } = run([...args], env);
            try {
                const url = await started(child, output);
                assert.match(output.stdout, new RegExp(`^ {2}AUTH0_CLIENT_ID=${DEFAULT_CLIENT_ID}$`, "m"));
                assert.match(output.stdout, new RegExp(`^ {2}AUTH0_CLIENT_SECRET=${DEFAULT_CLIENT_SECRET}$`, "m"));
                assert.ok(output.stdout.includes(SEED_IDS.samlp));
                const token = await fetch(`${url}/oauth/token`, {
                    method: "POST",
                    body: new URLSearchParams({
                        grant_type: "client_credentials",
                        client_id: DEFAULT_CLIENT_ID,
                        client_secret: DEFAULT_CLIENT_SECRET,
                        audience: `${url}/api/v2/`,
                    }),
                });
                assert.equal(token.status, 200);
                child.kill(signal);
                assert.deepEqual(await exited, [0, null]);
                assert.equal(output.stderr, "");
            } finally {
                child.kill("SIGKILL");
            }
        });
    }

    it("a port in use: exit code 1 and a message naming AUTH0_EMULATOR_PORT", async () => {
        const busy = http.createServer();
        await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
        try {
            const { port } = busy.address() as AddressInfo;
            const { output, exited } = run([], { AUTH0_EMULATOR_PORT: String(port) });
            assert.deepEqual(await exited, [1, null]);
            assert.match(
                output.stderr,
                new RegExp(`^emulator: port ${port} is already in use .*AUTH0_EMULATOR_PORT=<port> npm run emulator`),
            );
        } finally {
            await new Promise((resolve) => busy.close(resolve));
        }
    });

    it("refuses an invalid port with exit code 1", async () => {
        const { output, exited } = run(["--port", "http"]);
        assert.deepEqual(await exited, [1, null]);
        assert.match(output.stderr, /invalid port: http/);
    });
});
