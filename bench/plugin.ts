/**
 * The provider plugin: how long it takes to print its port (the engine waits for it before any
 * call), started as `node dist/plugin/main.js` and through run-plugin with the shipped folder,
 * against the dynamic-provider host the TypeScript package runs in (the baseline, same run);
 * and the requests each operation sends through it, against DESIGN §8's targets.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { SEED_IDS } from "../emulator/seed";
import { PluginHost, pluginUrn, projectWithInstalledPluginFolder } from "../harness/plugin";
import { median, project, ratio, stack, table, take } from "./support";

const RUNS = 7;

// Milliseconds from spawn to the first line on stdout (the port), for `args` run with node from `cwd`.
function timeToPort(args: string[], cwd: string): Promise<number> {
    const started = performance.now();
    const child = spawn(process.execPath, [...args, "127.0.0.1:1"], { cwd, stdio: ["ignore", "pipe", "ignore"] });
    return new Promise((resolve, reject) => {
        child.stdout.once("data", () => {
            resolve(performance.now() - started);
            child.kill();
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code} before printing a port`)));
    });
}

async function startup(): Promise<void> {
    const installed = path.join(project, "node_modules", "pulumi-auth0-deny-list");
    const { project: program, folder } = projectWithInstalledPluginFolder(project);
    const starts: [string, string[], string][] = [
        [
            "dynamic-provider host (baseline)",
            [require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [project] })],
            project,
        ],
        ["node dist/plugin/main.js", [path.join(installed, "dist", "plugin", "main.js")], project],
        [
            "run-plugin + pulumi-plugin/",
            [require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [folder] }), folder],
            program,
        ],
    ];
    const medians: number[] = [];
    for (const [, args, cwd] of starts) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await timeToPort(args, cwd));
        medians.push(median(times));
    }
    table(
        `Time from start to the port line, median of ${RUNS} starts each, one after another`,
        ["started as", "ms", "vs dynamic-provider host"],
        starts.map(([name], i) => [name, medians[i].toFixed(0), ratio(medians[i], medians[0])]),
    );
}

async function requests(): Promise<void> {
    // The stack's emulator, without its host: the plugin is the only client.
    const s = await stack();
    const plugin = await PluginHost.start({ project });
    try {
        const { emulator } = s;
        await plugin.configure({
            domain: emulator.url,
            clientId: emulator.clientId,
            clientSecret: emulator.clientSecret,
        });
        const urn = pluginUrn("ConnectionDenyList", "r");
        const rows: (string | number)[][] = [];
        const record = (op: string, target: number) => {
            const { api } = take(emulator);
            rows.push([op, api, target, ratio(api, target)]);
        };
        take(emulator);
        const v1 = { connectionId: SEED_IDS.google, attributes: ["a"], exclusive: false };
        await plugin.check(urn, {}, v1);
        await plugin.create(urn, v1, true);
        record("preview (check + create with preview)", 0);
        const created = await plugin.create(urn, v1);
        record("create", 2);
        await plugin.diff(urn, created.id, created.properties, v1);
        record("no-op diff", 0);
        const v2 = { ...v1, attributes: ["a", "b"] };
        const updated = await plugin.update(urn, created.id, created.properties, v2);
        record("update", 2);
        await plugin.read(urn, created.id, updated.properties, v2);
        record("read (refresh)", 1);
        await plugin.delete(urn, created.id, updated.properties);
        record("delete", 2);
        await plugin.read(urn, SEED_IDS.auth0);
        record("read (pulumi import)", 1);
        table(
            "Requests per operation through the plugin (one ConnectionDenyList)",
            ["operation", "requests", "target", "ratio"],
            rows,
        );
    } finally {
        await plugin.stop();
        await s.stop();
    }
}

/** The plugin's benchmarks. */
export async function pluginBench(): Promise<void> {
    await startup();
    await requests();
}
