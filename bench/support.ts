/**
 * What every benchmark shares: the installed package, a stack (emulator + dynamic-provider host +
 * engine), request accounting, seeded connections and the printed table. Each benchmark prints
 * its figure next to a baseline measured in the same run.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import axios, { type AxiosInstance } from "axios";
import {
    type Connection,
    type Emulator,
    type EmulatorOptions,
    type RateLimitOptions,
    startEmulator,
} from "../emulator";
import { stackConfigFor } from "../harness/credentials";
import { MiniEngine } from "../harness/engine";
import { ProviderHost } from "../harness/host";
import { installedProject } from "../harness/install";
import { CONFIG_PROGRAM, type Declared, runProgram } from "../harness/program";

/** The engine tests' program: resources from stack config, declared as `ConnectionDenyList`. */
export const PROGRAM = CONFIG_PROGRAM;

/** The baseline program: the same resources, each a minimal dynamic provider doing a bare axios GET + PATCH. */
export const BARE_PROGRAM = path.join(__dirname, "fixtures", "bare-provider-program.ts");

// Everything temporary (the installed project, one folder per program run) goes under one
// folder of this run, removed by cleanUp(); child processes inherit it.
const scratch = mkdtempSync(path.join(os.tmpdir(), "auth0-deny-list-bench-"));
process.env.TMPDIR = scratch;

// The baseline provider runs in the host, from the installed project, which has no axios (the
// package does not depend on it): it loads this repository's copy, inherited through the environment.
process.env.BENCH_AXIOS_PATH = require.resolve("axios");

/** The packed package installed into a temporary project (made once per process). */
export const project = installedProject();

/** An emulator, a dynamic-provider host on the installed project, and an engine driving both. */
export interface Stack {
    emulator: Emulator;
    host: ProviderHost;
    engine: MiniEngine;
    stop(): Promise<void>;
}

/** Starts a stack whose host is configured for the emulator; `hostEnv` is added to the host's environment. */
export async function stack(options: EmulatorOptions = {}, hostEnv: Record<string, string> = {}): Promise<Stack> {
    const emulator = await startEmulator(options);
    const host = await ProviderHost.start(project, hostEnv);
    const engine = new MiniEngine(host, stackConfigFor(emulator));
    const stop = async () => {
        await host.stop();
        await emulator.stop();
    };
    return { emulator, host, engine, stop };
}

/** A resource as the bench programs read it from stack config. */
export interface Declaration {
    name: string;
    args: { connectionId: string; attributes: string[] };
}

/** Runs `program` (default: the `ConnectionDenyList` one) under the mocks and returns what it registered. */
export function declare(resources: Declaration[], program = PROGRAM): Declared[] {
    return runProgram(project, program, { "auth0-deny-list:resources": resources }).resources;
}

/** Requests the emulator received since the last call, split into API and token requests. */
export function take(emulator: Emulator): { api: number; token: number } {
    const all = emulator.requests();
    emulator.clearRequests();
    const token = all.filter((r) => r.path === "/oauth/token").length;
    return { api: all.length - token, token };
}

/** `count` auth0-strategy connections with a few options and one deny-list entry each. */
export function seedConnections(count: number): Connection[] {
    return Array.from({ length: count }, (_, i) => ({
        id: `con_Bench${String(i).padStart(11, "0")}`,
        name: `bench-${i}`,
        strategy: "auth0",
        display_name: `Bench ${i}`,
        options: { brute_force_protection: true, passwordPolicy: "good", non_persistent_attrs: ["keep"] },
    }));
}

/** Prints a Markdown table under `title`. */
export function table(title: string, header: string[], rows: (string | number)[][]): void {
    console.log(`\n${title}`);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells: (string | number)[]) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
    console.log(line(header));
    console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const row of rows) console.log(line(row));
}

/** `a / b` printed as `1.23×`. */
export function ratio(a: number, b: number): string {
    return b === 0 ? (a === 0 ? "1.00×" : "∞") : `${(a / b).toFixed(2)}×`;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Removes this run's temporary folder: the installed project and every program run's folder. */
export function cleanUp(): void {
    rmSync(scratch, { recursive: true, force: true });
}

/** The machine the figures come from: CPU count, CPU model (from /proc/cpuinfo on Linux) and Node version. */
export function machine(): string {
    const cpus = os.cpus();
    return `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, node ${process.version}, ${os.platform()}`;
}

/**
 * CPU milliseconds (user + system) used so far by this process's child processes that are still
 * running, such as a stack's dynamic-provider host. Linux only (reads /proc); 10 ms resolution.
 * Unlike wall time, it does not grow when other work shares the machine.
 */
export function childCpuMs(): number {
    let ticks = 0;
    for (const task of readdirSync(`/proc/${process.pid}/task`)) {
        const children = readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim();
        for (const pid of children ? children.split(/\s+/) : []) {
            try {
                // Fields after the parenthesised command: state is field 3, utime 14, stime 15.
                const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
                ticks += Number(fields[11]) + Number(fields[12]);
            } catch {
                // The child exited between the two reads.
            }
        }
    }
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

// USER_HZ: 100 on every Linux architecture Node supports.
const CLOCK_TICKS_PER_SECOND = 100;

/** An axios client for `emulator` holding a fresh token, as a baseline's bare requests use it. */
export async function bareClient(
    emulator: Emulator,
): Promise<{ client: AxiosInstance; headers: { Authorization: string } }> {
    const client = axios.create({ baseURL: emulator.url, httpAgent: new http.Agent({ keepAlive: true }) });
    const token = await client.post("/oauth/token", {
        grant_type: "client_credentials",
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        audience: `${emulator.url}/api/v2/`,
    });
    return { client, headers: { Authorization: `Bearer ${token.data.access_token}` } };
}

/** Each way a tenant may report its rate limit: every rate-limited benchmark runs under each. */
export const HEADER_READINGS: { name: string; headers: Pick<RateLimitOptions, "headers" | "resetOffsetSeconds"> }[] = [
    { name: "reset = bucket full", headers: { headers: "reset-full" } },
    { name: "reset = next request", headers: { headers: "reset-next" } },
    { name: "Retry-After only", headers: { headers: "retry-after" } },
    { name: "no rate header", headers: { headers: "none" } },
    { name: "reset 1 h in the past", headers: { resetOffsetSeconds: -3600 } },
    { name: "reset 1 h ahead", headers: { resetOffsetSeconds: 3600 } },
];
