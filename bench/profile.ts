/**
 * `npm run bench:profile`: where the dynamic-provider host's CPU time goes in one `up` of the
 * through-host case (100 creates on 100 connections, 25 ms latency), from a V8 CPU profile of the
 * host (the inspector's profiler, run by a preloaded script from after the warm-up preview until
 * the host stops: `--cpu-prof` is not allowed in NODE_OPTIONS). Self time is summed per module — this package's files by folder
 * (auth0/ is the Management API layer, host/ the provider glue), and per dependency — and the
 * heaviest functions are listed. The profile file is kept and its path printed. With `compare`
 * (`npm run bench:profile -- compare`), the minimal dynamic provider's `up` is profiled too, and
 * what ours spends beyond it is printed per module and per function.
 */

import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BARE_PROGRAM, cleanUp, declare, machine, PROGRAM, seedConnections, stack, table } from "./support";
import { throughHostResources } from "./through-host";

const LATENCY_MS = 25;

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
}

interface Profile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
}

/** The module a profile node's code belongs to: this package's file by folder, a dependency, or Node itself. */
function moduleOf(url: string, functionName: string): string {
    // The in-process inspector that takes the profile shows its own work as `dispatch`.
    if (!url) return functionName === "dispatch" ? "(profiler)" : functionName || "(anonymous)";
    const ours = /node_modules\/pulumi-auth0-deny-list\/dist\/(.+)\.js$/.exec(url);
    if (ours) return `ours: ${ours[1]}`;
    const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (dependency) return dependency[1];
    if (url.startsWith("node:")) return "node (internals)";
    return url;
}

/** This process's child processes: the stack's dynamic-provider host (the emulator runs in this process). Linux only. */
function childPids(): number[] {
    return readdirSync(`/proc/${process.pid}/task`).flatMap((task) =>
        readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8")
            .trim()
            .split(/\s+/)
            .filter(Boolean)
            .map(Number),
    );
}

/** Runs the profiled `up` and returns the profile. */
async function profiledUp(program = PROGRAM): Promise<{ profile: Profile; file: string; ms: number }> {
    // Kept past the run: in the folder this run's scratch folder sits in (support.ts moves TMPDIR into it).
    const file = path.join(
        mkdtempSync(path.join(path.dirname(os.tmpdir()), "auth0-deny-list-profile-")),
        "host.cpuprofile",
    );
    const preload = path.join(__dirname, "fixtures", "cpu-profile.cjs");
    const resources = throughHostResources();
    const declared = declare(resources, program);
    const s = await stack(
        { seed: seedConnections(resources.length), latencyMs: LATENCY_MS },
        { NODE_OPTIONS: `--require ${preload}`, CPU_PROFILE_FILE: file },
    );
    let ms: number;
    try {
        await s.engine.preview(declared);
        for (const pid of childPids()) process.kill(pid, "SIGUSR2");
        // The signal is handled on the host's next turn; give it one before the work starts.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const started = performance.now();
        await s.engine.up(declared);
        ms = performance.now() - started;
    } finally {
        await s.stop();
    }
    return { profile: JSON.parse(readFileSync(file, "utf8")) as Profile, file, ms };
}

/** Self time per module and per function of one profile, and the busy time (idle and the profiler left out). */
function selfTimes(profile: Profile, nodes: Map<number, ProfileNode>) {
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => {
        selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    const byModule = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    for (const [id, us] of selfUs) {
        const { callFrame } = nodes.get(id) as ProfileNode;
        const module = moduleOf(callFrame.url, callFrame.functionName);
        byModule.set(module, (byModule.get(module) ?? 0) + us);
        const fn = `${callFrame.functionName || "(anonymous)"} (${module}:${callFrame.lineNumber + 1})`;
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
        total += us;
    }
    const busy = total - (byModule.get("(idle)") ?? 0) - (byModule.get("(profiler)") ?? 0);
    return { byModule, byFunction, busy };
}

const notWork = (name: string) => /^\((idle|profiler)\)|^dispatch \(/.test(name);

async function main(): Promise<void> {
    console.log(`pulumi-auth0-deny-list host profile — ${machine()}, ${new Date().toISOString()}`);
    const { profile, file, ms } = await profiledUp();
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const { byModule, byFunction, busy } = selfTimes(profile, nodes);
    const rows = (map: Map<string, number>, n: number) =>
        [...map]
            .filter(([name]) => !notWork(name))
            .sort((a, b) => b[1] - a[1])
            .slice(0, n)
            .map(([name, us]) => [name, (us / 1000).toFixed(1), `${((100 * us) / busy).toFixed(1)} %`]);
    console.log(
        `\nThe host during one up (${ms.toFixed(0)} ms of wall time): ${(busy / 1000).toFixed(0)} ms busy. Profile: ${file}`,
    );
    table("Self time per module (busy time only)", ["module", "ms", "share"], rows(byModule, 30));
    table("Heaviest functions by self time", ["function", "ms", "share"], rows(byFunction, 25));
    const inclusive = inclusiveOurs(profile, nodes);
    table(
        "This package's functions by total time (their callees included: zod, lossless-json, axios …)",
        ["function", "ms", "share"],
        rows(inclusive, 25),
    );
    if (process.argv[2] === "compare") await compareWithBaseline(byModule, byFunction, busy);
}

/**
 * `bench:profile compare`: profiles the same up with the minimal dynamic provider (the through-host
 * baseline) and prints, per module, what ours spends beyond it: where the extra host CPU goes.
 */
async function compareWithBaseline(
    byModule: Map<string, number>,
    byFunction: Map<string, number>,
    oursBusy: number,
): Promise<void> {
    const { profile, ms } = await profiledUp(BARE_PROGRAM);
    const bare = selfTimes(profile, new Map(profile.nodes.map((node) => [node.id, node])));
    const beyond = (ours: Map<string, number>, baseline: Map<string, number>) =>
        [...new Set([...ours.keys(), ...baseline.keys()])]
            .filter((name) => !notWork(name))
            .map((name) => [name, ours.get(name) ?? 0, baseline.get(name) ?? 0] as const)
            .sort((a, b) => b[1] - b[2] - (a[1] - a[2]))
            .slice(0, 25)
            .map(([name, o, b]) => [name, (o / 1000).toFixed(1), (b / 1000).toFixed(1), ((o - b) / 1000).toFixed(1)]);
    const header = ["ours ms", "minimal ms", "difference ms"];
    console.log(
        `\nThe minimal provider's up: ${ms.toFixed(0)} ms wall, ${(bare.busy / 1000).toFixed(0)} ms busy; ours ${(oursBusy / 1000).toFixed(0)} ms busy`,
    );
    table("Beyond the minimal provider, per module", ["module", ...header], beyond(byModule, bare.byModule));
    table("Beyond the minimal provider, per function", ["function", ...header], beyond(byFunction, bare.byFunction));
}

/** Time on the stack of each function of this package: its own and its callees'. */
function inclusiveOurs(profile: Profile, nodes: Map<number, ProfileNode>): Map<string, number> {
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const total = new Map<string, number>();
    profile.samples.forEach((id, i) => {
        const seen = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
            const { callFrame } = nodes.get(at) as ProfileNode;
            const module = moduleOf(callFrame.url, callFrame.functionName);
            if (!module.startsWith("ours: ")) continue;
            const fn = `${callFrame.functionName || "(anonymous)"} (${module.slice(6)}:${callFrame.lineNumber + 1})`;
            if (seen.has(fn)) continue;
            seen.add(fn);
            total.set(fn, (total.get(fn) ?? 0) + (profile.timeDeltas[i] ?? 0));
        }
    });
    return total;
}

main()
    .catch((error) => {
        console.error(error);
        process.exitCode = 1;
    })
    .finally(cleanUp);
