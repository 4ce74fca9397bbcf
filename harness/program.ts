/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` inside the installed project and returns
 * what it registered: each resource's inputs, `__provider` included, exactly as the engine
 * would receive them. The program runs in a process of its own, as `pulumi up` runs it
 * (harness/program-process.cjs), or, for tests, in one such process kept per project; a
 * TypeScript program is transpiled first, as Pulumi's own TypeScript support does, and nothing
 * else it loads is (the package and the SDK run as the built JavaScript they are).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Socket } from "node:net";
import path from "node:path";
import ts from "typescript";
import type { Declared } from "../testing/engine";
import { makeTempDir, removeTempDir } from "./temp";

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

/** How to run a program. */
export interface ProgramOptions {
    /** Run `programFile` where it is instead of a copy in the project (its imports resolve from there). */
    inPlace?: boolean;
    stack?: string;
    project?: string;
    /** The mock id of a resource by name (default `<name>-id`). */
    ids?: Record<string, string>;
    /**
     * Run in the program process this process keeps for the project's @pulumi/pulumi instead of a
     * new one: the SDK and the program's other dependencies load once, the program and this
     * package anew each run, in the project's folder.
     * Not for a test of what one process holds (how often the SDK serializes a provider, what the
     * process's environment holds, whether a value is the same in another process).
     */
    shared?: boolean;
}

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
    { inPlace = false, stack = "dev", project = "auth0-deny-list", ids = {}, shared = false }: ProgramOptions = {},
): ProgramRun {
    const local = inPlace ? programFile : path.join(projectDir, `program-${path.basename(programFile)}`);
    if (!inPlace) copyFileSync(programFile, local);
    const request = {
        cwd: projectDir,
        program: local,
        programJs: programFile.endsWith(".ts") ? transpile(programFile) : undefined,
        config: Object.fromEntries(
            Object.entries(config).map(([key, value]) => [
                key,
                typeof value === "string" ? value : JSON.stringify(value),
            ]),
        ),
        project,
        stack,
        ids,
        preview: false,
    };
    const runner = shared ? sharedProcess(projectDir) : new ProgramProcess(projectDir);
    let answer: { registered: Declared[]; log: string; errors: string[] };
    try {
        answer = runner.run(request);
    } finally {
        if (!shared) runner.stop();
    }
    if (answer.errors.length > 0) {
        throw new Error(`program ${programFile} failed:\n${answer.errors.join("\n")}\n${answer.log}`);
    }
    const resources = answer.registered.map((resource) => ({
        ...resource,
        urn: resource.urn || `urn:pulumi:${stack}::${project}::${resource.type}::${resource.name}`,
    }));
    return { resources, log: answer.log.split("\n").filter((line) => line.trim() !== "") };
}

// How long a run may take before its process is taken for dead (a bench program declares thousands).
const RUN_DEADLINE_MS = 600_000;

/** One program process (harness/program-process.cjs) and the folder its requests and answers pass through. */
class ProgramProcess {
    private readonly folder = makeTempDir("auth0-deny-list-program-");
    private readonly child: ChildProcess;
    private runs = 0;

    constructor(projectDir: string) {
        // What the process prints outside a run (Node's own warnings, a failure to start) is kept for errors.
        const output = openSync(path.join(this.folder, "output.log"), "w");
        this.child = spawn(process.execPath, [path.join(__dirname, "program-process.cjs"), this.folder], {
            cwd: projectDir,
            stdio: ["pipe", output, output],
        });
        // Neither keeps this process alive; its stdin closing when this process ends stops the child.
        this.child.unref();
        (this.child.stdin as Socket).unref();
    }

    /** Sends `request` and waits (blocking, as a program run is synchronous) for the answer. */
    run(request: object): { registered: Declared[]; log: string; errors: string[] } {
        const file = path.join(this.folder, String(this.runs));
        this.runs++;
        writeFileSync(`${file}.request.part`, JSON.stringify(request));
        renameSync(`${file}.request.part`, `${file}.request.json`);
        const started = Date.now();
        while (!existsSync(`${file}.response.json`)) {
            const exited = path.join(this.folder, "exited");
            if (existsSync(exited)) throw new Error(`the program process ended: ${readFileSync(exited, "utf8")}`);
            if (Date.now() - started > RUN_DEADLINE_MS) {
                const output = readFileSync(path.join(this.folder, "output.log"), "utf8");
                throw new Error(`the program process gave no answer in ${RUN_DEADLINE_MS} ms:\n${output}`);
            }
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        }
        return JSON.parse(readFileSync(`${file}.response.json`, "utf8"));
    }

    /** Ends the process (at once: it has answered, and nothing it could still do matters) and removes its folder. */
    stop(): void {
        this.child.kill("SIGKILL");
        removeTempDir(this.folder);
    }
}

// Kept program processes by the @pulumi/pulumi they run: projects that resolve the same copy
// (the installed project links this repository's) share one, as loading it is most of a start.
const sharedProcesses = new Map<string, ProgramProcess>();

// The program process kept for `projectDir`'s @pulumi/pulumi, started on first use.
function sharedProcess(projectDir: string): ProgramProcess {
    const sdk = require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] });
    let found = sharedProcesses.get(sdk);
    if (!found) {
        found = new ProgramProcess(projectDir);
        sharedProcesses.set(sdk, found);
    }
    return found;
}

let folder: string | undefined;

// The folder of this process's harness files, removed at exit.
function harnessFolder(): string {
    folder ??= makeTempDir("auth0-deny-list-harness-");
    return folder;
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
