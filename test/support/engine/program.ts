/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` inside the installed project and returns
 * what it registered: each resource's inputs, `__provider` included, exactly as the engine
 * would receive them. The program runs in its own process, as `pulumi up` runs it.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A resource the program declared. */
export interface Declared {
    urn: string;
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** What running the program produced. */
export interface ProgramRun {
    resources: Declared[];
    /** The program's own log output (warnings attached to resources). */
    log: string[];
}

const HARNESS = `
const pulumi = require("@pulumi/pulumi");
const registered = [];
const [project, stack] = [process.env.PULUMI_NODEJS_PROJECT, process.env.PULUMI_NODEJS_STACK];
pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push({ urn: args.urn || "", type: args.type, name: args.name, inputs: args.inputs });
            return { id: args.name + "-id", state: args.inputs };
        },
        call: (args) => args.inputs,
    },
    project,
    stack,
    process.env.MOCK_PREVIEW === "true",
);
require(process.argv[2]);
let printed = false;
process.on("beforeExit", () => {
    if (printed) return;
    printed = true;
    process.stdout.write("\\n@@REGISTERED@@" + JSON.stringify(registered));
});
`;

/**
 * Runs `programFile` (TypeScript or JavaScript) from `projectDir` with `config` as stack config
 * (`key` → string; objects are passed as JSON, as Pulumi does for structured config).
 */
export function runProgram(
    projectDir: string,
    programFile: string,
    config: Record<string, unknown>,
    stack = "dev",
    project = "auth0-deny-list",
): ProgramRun {
    const local = path.join(projectDir, `program-${path.basename(programFile)}`);
    copyFileSync(programFile, local);
    writeFileSync(path.join(projectDir, "harness.js"), HARNESS);
    const configEnv = Object.fromEntries(
        Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    );
    const run = spawnSync(process.execPath, ["--require", require.resolve("tsx/cjs"), "harness.js", local], {
        cwd: projectDir,
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
        env: {
            ...process.env,
            PULUMI_NODEJS_PROJECT: project,
            PULUMI_NODEJS_STACK: stack,
            PULUMI_CONFIG: JSON.stringify(configEnv),
        },
    });
    const [out, registered] = run.stdout.split("@@REGISTERED@@");
    if (run.status !== 0 || registered === undefined) {
        throw new Error(`program ${programFile} failed (exit ${run.status}):\n${run.stderr}${out}`);
    }
    const resources = (JSON.parse(registered) as Declared[]).map((resource) => ({
        ...resource,
        urn: resource.urn || `urn:pulumi:${stack}::${project}::${resource.type}::${resource.name}`,
    }));
    const log = `${out}\n${run.stderr}`.split("\n").filter((line) => line.trim() !== "");
    return { resources, log };
}
