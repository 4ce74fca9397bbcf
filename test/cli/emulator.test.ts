import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../../emulator";
import { SEED_IDS } from "../../emulator/seed";
import { makeTempDir } from "../../harness/temp";

// As built (`npm run build`, which `npm test` runs first): a process through tsx costs twice the CPU.
const CLI = join(__dirname, "..", "..", "dist", "cli", "main.js");

/** Runs `pulumi-auth0-deny-list emulator` as built and collects its output. */
function run(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [CLI, "emulator", ...args], {
        env: { ...withoutNpmScript(process.env), ...env },
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

// The tests run under `npm test`: the port hint must not take them for `npm run emulator`.
function withoutNpmScript(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const { npm_lifecycle_event: _script, ...rest } = env;
    return rest;
}

describe("cli: emulator", () => {
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

    it("a port in use: exit code 2 and the way to choose another, in the terms of the command that was run", async () => {
        const busy = http.createServer();
        await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
        try {
            const { port } = busy.address() as AddressInfo;
            const installed = run([], { AUTH0_EMULATOR_PORT: String(port) });
            assert.deepEqual(await installed.exited, [2, null]);
            assert.equal(
                installed.output.stderr,
                `error: port ${port} is already in use (another emulator?): stop it, or choose another port with ` +
                    "npx pulumi-auth0-deny-list emulator --port <port> (0 picks a free one).\n",
            );
            const clone = run(["--port", String(port)], { npm_lifecycle_event: "emulator" });
            assert.deepEqual(await clone.exited, [2, null]);
            assert.match(
                clone.output.stderr,
                /choose another port with AUTH0_EMULATOR_PORT=<port> npm run emulator \(/,
            );
        } finally {
            await new Promise((resolve) => busy.close(resolve));
        }
    });

    it("refuses an invalid port with exit code 2, naming where it came from", async () => {
        const flag = run(["--port", "http"]);
        assert.deepEqual(await flag.exited, [2, null]);
        assert.match(flag.output.stderr, /^error: --port "http" is not a port: use a number from 0 to 65535\.$/m);
        const variable = run([], { AUTH0_EMULATOR_PORT: "70000" });
        assert.deepEqual(await variable.exited, [2, null]);
        assert.match(variable.output.stderr, /^error: AUTH0_EMULATOR_PORT "70000" is not a port/m);
    });

    it("starts from the connections of --state-file", async () => {
        const file = join(makeTempDir("emulator-state-"), "tenant.json");
        const seeded = {
            connections: [{ id: "con_Members000000001", name: "members", strategy: "auth0", options: {} }],
        };
        writeFileSync(file, JSON.stringify(seeded));
        const { child, output, exited } = run(["--port", "0", "--state-file", file]);
        try {
            await started(child, output);
            assert.match(output.stdout, /^ {2}con_Members000000001 {2}auth0 {10}members$/m);
            child.kill("SIGTERM");
            assert.deepEqual(await exited, [0, null]);
        } finally {
            child.kill("SIGKILL");
        }
    });

    it("takes only its own options", async () => {
        const { output, exited } = run(["--domain", "acme.eu.auth0.com"]);
        assert.deepEqual(await exited, [2, null]);
        assert.match(output.stderr, /--domain is not an option of emulator/);
    });
});
