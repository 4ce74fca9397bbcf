/**
 * The process a Pulumi program runs in under `pulumi.runtime.setMocks` (harness/program.ts starts
 * it in the project being run): `node program-process.cjs <folder>`. It runs the programs whose
 * requests appear in <folder> as `<n>.request.json` one after another, and answers each in
 * `<n>.response.json` with what the program registered, printed and failed with. A run ends when
 * the event loop is empty (`beforeExit`), as a program's own process ends; the process then waits
 * for the next request, and exits when its stdin closes (the process that started it is gone).
 *
 * @pulumi/pulumi and the program's other dependencies load once per process; each run sets new
 * mocks and config, and loads the program and this package anew.
 */
const fs = require("node:fs");
const path = require("node:path");

const folder = process.argv[2];

/** The run in progress: what it registered and printed, what failed, whether its event loop emptied once. */
let run;
let next = 0;
/** The process that started this one is gone (its folder with it). */
let orphaned = false;

// What would end a program's own process ends its run as failed; outside a run (a failure to
// start) it ends this process, saying why in <folder>/exited.
const ended = (why) => fs.writeFileSync(path.join(folder, "exited"), why);
const fail = (error) => {
    const why = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (run) return run.errors.push(why);
    ended(why);
    process.exit(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
process.on("exit", (code) => {
    if (run) answer(`the program ended the process (exit ${code})`);
    else if (!orphaned && !fs.existsSync(path.join(folder, "exited"))) ended(`exit ${code}`);
});

// Resolved from a project (the folder a program runs in), as the Pulumi language host resolves them.
const { createRequire } = require("node:module");
const fromProject = (project) => createRequire(path.join(project, "program.js"));
// The SDK of the first project: harness/program.ts sends only projects that resolve this very copy.
const pulumi = fromProject(process.cwd())("@pulumi/pulumi");
const { MockMonitor } = fromProject(process.cwd())("@pulumi/pulumi/runtime/mocks");
/** The built code of every copy of the package a program loaded (the repository itself, through its link, or an installed one). */
const packageCopies = new Set();

// Mocks do not see dependencies: take them from the request the SDK sends the (mock) monitor.
const registerResource = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req, callback) {
    const byInput = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        byInput[key] = deps.getUrnsList();
    });
    run?.dependencies.set(`${req.getType()}::${req.getName()}`, byInput);
    return registerResource.call(this, req, callback);
};

// What the program prints is its log; outside a run, output goes where it would.
for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
        if (!run) return write(chunk, ...rest);
        run.output.push(String(chunk));
        return true;
    };
}

// Runs the request `file`; a TypeScript program comes transpiled (`programJs`), loaded under its
// own path so its imports resolve as written.
function start(file) {
    const request = JSON.parse(fs.readFileSync(file, "utf8"));
    run = { registered: [], dependencies: new Map(), output: [], errors: [], idle: false };
    const registered = run.registered;
    const dependencies = run.dependencies;
    pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const propertyDependencies = dependencies.get(`${args.type}::${args.name}`) ?? {};
                registered.push({
                    urn: args.urn ?? "",
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    propertyDependencies,
                });
                return { id: request.ids[args.name] ?? `${args.name}-id`, state: args.inputs };
            },
            call: (args) => args.inputs,
        },
        request.project,
        request.stack,
        request.preview,
    );
    pulumi.runtime.setAllConfig(request.config);
    // The program and the package load anew, as in a process of their own (the package's program
    // registry and what it numbers start empty); @pulumi/pulumi and the rest stay loaded.
    // The program runs in its project's folder, and loads the package copy that folder resolves.
    process.chdir(request.cwd);
    const packageJson = fromProject(request.cwd).resolve("pulumi-auth0-deny-list/package.json");
    packageCopies.add(path.join(path.dirname(packageJson), "dist", path.sep));
    const program = path.resolve(request.program);
    delete require.cache[program];
    for (const id of Object.keys(require.cache)) {
        for (const copy of packageCopies) if (id.startsWith(copy)) delete require.cache[id];
    }
    require("node:module")._extensions[".ts"] = (module, filename) => {
        if (filename !== program) throw new Error(`${filename}: a program under test is a single TypeScript file`);
        module._compile(fs.readFileSync(request.programJs, "utf8"), filename);
    };
    try {
        require(program);
    } catch (error) {
        fail(error);
    }
}

// Writes the run's response (atomically: the waiting process reads a whole file or none).
function answer(error) {
    const { registered, output, errors } = run;
    if (error) errors.push(error);
    const response = path.join(folder, `${next}.response.json`);
    fs.writeFileSync(`${response}.part`, JSON.stringify({ registered, log: output.join(""), errors }));
    fs.renameSync(`${response}.part`, response);
    run = undefined;
    next++;
}

// Starts the next request once it is there; the watcher keeps the process alive until then. It
// watches before the first look, so a request that arrives in between is not missed.
function awaitRequest() {
    const file = path.join(folder, `${next}.request.json`);
    let waiting = true;
    const startOnce = () => {
        if (!waiting || !fs.existsSync(file)) return;
        waiting = false;
        watcher.close();
        start(file);
    };
    const watcher = fs.watch(folder, startOnce);
    startOnce();
}

// The event loop is empty: the run in progress (if any) is over once the program's own
// `beforeExit` listeners (which run beside this one) have had their turn.
process.on("beforeExit", () => {
    if (run && !run.idle) {
        run.idle = true;
        setImmediate(() => {});
        return;
    }
    if (run) answer();
    awaitRequest();
});

process.stdin.on("close", () => {
    orphaned = true;
    process.exit(0);
});
process.stdin.resume();
process.stdin.unref();
