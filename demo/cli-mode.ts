/**
 * The demo with the real Pulumi CLI, used when a `pulumi` binary is on PATH: a local file
 * backend in a temporary folder, the per-environment example's dev stack, pointed at the emulator.
 */
import { execFileSync } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Emulator } from "../emulator";
import { installedProject } from "../harness/install";
import { makeTempDir } from "../harness/temp";

/** Runs preview, up, refresh and destroy of the dev stack with the real CLI. */
export async function runWithPulumiCli(pulumi: string, emulator: Emulator, example: string): Promise<void> {
    console.log(`Mode: Pulumi CLI (${pulumi}) with a local file backend.`);
    const work = makeTempDir("auth0-deny-list-demo-");
    const project = installedProject();
    cpSync(example, work, { recursive: true });
    cpSync(path.join(project, "node_modules"), path.join(work, "node_modules"), {
        recursive: true,
        verbatimSymlinks: true,
    });
    writeFileSync(path.join(work, "Pulumi.yaml"), "name: auth0-deny-list\nruntime: nodejs\n");
    const env = {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${work}/.state`,
        PULUMI_CONFIG_PASSPHRASE: "demo",
        PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    const run = (...args: string[]) => {
        console.log(`\n$ pulumi ${args.join(" ")}`);
        execFileSync(pulumi, args, { cwd: work, env, stdio: "inherit" });
    };
    execFileSync("mkdir", ["-p", `${work}/.state`]);
    run("stack", "init", "dev");
    run("config", "set", "auth0:domain", emulator.url, "--stack", "dev");
    run("config", "set", "auth0:clientId", emulator.clientId, "--stack", "dev");
    execFileSync(pulumi, ["config", "set", "--secret", "auth0:clientSecret", "--stack", "dev"], {
        cwd: work,
        env,
        input: emulator.clientSecret,
    });
    run("preview", "--stack", "dev");
    run("up", "--yes", "--stack", "dev");
    run("refresh", "--yes", "--stack", "dev");
    run("destroy", "--yes", "--stack", "dev");
}
