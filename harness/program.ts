/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` inside the installed project and returns
 * what it registered: each resource's inputs, `__provider` included, exactly as the engine
 * would receive them. The program runs in its own process, as `pulumi up` runs it; a TypeScript
 * program is transpiled first, as Pulumi's own TypeScript support does, and nothing else it
 * loads is (the package and the SDK run as the built JavaScript they are).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { Declared } from "../testing/engine";
import { makeTempDir } from "./temp";

/** A program whose resources come from the `auth0-deny-list:resources` stack config (tests and bench). */
export const CONFIG_PROGRAM = path.join(__dirname, "config-program.ts");

/** A resource the program declared (the engine's type). */
export type { Declared };

/** What running the program produced. */
export interface ProgramRun {
    resources: Declared[];
    /** The program's own log output (warnings attached to resources). */
    log: string[];
}

// Loads @pulumi/pulumi from the project being run (cwd), as the Pulumi language host does.
const HARNESS = `
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.cwd()] }));
const registered = [];
const [project, stack] = [process.env.PULUMI_NODEJS_PROJECT, process.env.PULUMI_NODEJS_STACK];
const ids = JSON.parse(process.env.MOCK_IDS || "{}");
// Mocks do not see dependencies: take them from the request the SDK sends the (mock) monitor.
const { MockMonitor } = require(require.resolve("@pulumi/pulumi/runtime/mocks", { paths: [process.cwd()] }));
const dependencies = new Map();
const registerResource = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req, callback) {
    const byInput = {};
    req.getPropertydependenciesMap().forEach((deps, key) => { byInput[key] = deps.getUrnsList(); });
    dependencies.set(req.getType() + "::" + req.getName(), byInput);
    return registerResource.call(this, req, callback);
};
pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            const propertyDependencies = dependencies.get(args.type + "::" + args.name) || {};
            registered.push({ urn: args.urn || "", type: args.type, name: args.name, inputs: args.inputs, propertyDependencies });
            return { id: ids[args.name] || args.name + "-id", state: args.inputs };
        },
        call: (args) => args.inputs,
    },
    project,
    stack,
    process.env.MOCK_PREVIEW === "true",
);
// A TypeScript program comes transpiled (MOCK_PROGRAM_JS), loaded under its own path so its imports resolve as written.
const program = require("path").resolve(process.argv[2]);
if (process.env.MOCK_PROGRAM_JS) {
    require("module")._extensions[".ts"] = (module, filename) => {
        if (filename !== program) throw new Error(filename + ": a program under test is a single TypeScript file");
        module._compile(require("fs").readFileSync(process.env.MOCK_PROGRAM_JS, "utf8"), filename);
    };
}
require(program);
let printed = false;
process.on("beforeExit", () => {
    if (printed) return;
    printed = true;
    process.stdout.write("\\n@@REGISTERED@@" + JSON.stringify(registered));
});
`;

/**
 * Runs `programFile` (TypeScript or JavaScript) in `projectDir` with `config` as stack config
 * (`key` → string; objects are passed as JSON, as Pulumi does for structured config). The
 * program is copied into the project, so its imports resolve there, unless `inPlace` is set.
 * `ids` gives the mock id of a resource by name (default `<name>-id`), e.g. a real connection id
 * for an `auth0.Connection` the program declares.
 */
export function runProgram(
    projectDir: string,
    programFile: string,
    config: Record<string, unknown>,
    { inPlace = false, stack = "dev", project = "auth0-deny-list", ids = {} as Record<string, string> } = {},
): ProgramRun {
    const local = inPlace ? programFile : path.join(projectDir, `program-${path.basename(programFile)}`);
    if (!inPlace) copyFileSync(programFile, local);
    const harness = harnessFile();
    const configEnv = Object.fromEntries(
        Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    );
    const transpiled = programFile.endsWith(".ts") ? { MOCK_PROGRAM_JS: transpile(programFile) } : {};
    const run = spawnSync(process.execPath, [harness, local], {
        cwd: projectDir,
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
        env: {
            ...process.env,
            PULUMI_NODEJS_PROJECT: project,
            PULUMI_NODEJS_STACK: stack,
            PULUMI_CONFIG: JSON.stringify(configEnv),
            MOCK_IDS: JSON.stringify(ids),
            ...transpiled,
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

let folder: string | undefined;

// The folder of this process's harness files, removed at exit.
function harnessFolder(): string {
    folder ??= makeTempDir("auth0-deny-list-harness-");
    return folder;
}

let written: string | undefined;

// One copy of the mock-runtime entry point per process.
function harnessFile(): string {
    if (!written) {
        written = path.join(harnessFolder(), "harness.js");
        writeFileSync(written, HARNESS);
    }
    return written;
}

// Transpiled programs by path: a program file does not change while the tests run.
const transpiledFiles = new Map<string, string>();

// The program as CommonJS JavaScript, in a file of its own; type-checking is `npm run typecheck`'s job.
function transpile(programFile: string): string {
    let file = transpiledFiles.get(programFile);
    if (!file) {
        const { outputText } = ts.transpileModule(readFileSync(programFile, "utf8"), {
            fileName: programFile,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        });
        file = path.join(harnessFolder(), `program-${transpiledFiles.size}.js`);
        writeFileSync(file, outputText);
        transpiledFiles.set(programFile, file);
    }
    return file;
}
