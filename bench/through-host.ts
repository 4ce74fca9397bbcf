/**
 * Through the host: `ConnectionDenyList` against a minimal dynamic provider doing a bare axios
 * GET + PATCH per resource, both through the same dynamic-provider host (a fresh one per run) and
 * the same engine calls, one resource per connection so both send the same requests.
 */

import type { Declared } from "../harness/program";
import {
    BARE_PROGRAM,
    childCpuMs,
    type Declaration,
    declare,
    median,
    ratio,
    seedConnections,
    stack,
    table,
} from "./support";

const RESOURCES = 100;
const LATENCY_MS = 25;
const ROUNDS = 5;

/** Milliseconds `up` takes for `declared` in a fresh stack, after a preview that loads the provider. */
async function timedUp(declared: Declared[], hostEnv: Record<string, string> = {}) {
    const s = await stack({ seed: seedConnections(RESOURCES), latencyMs: LATENCY_MS }, hostEnv);
    try {
        await s.engine.preview(declared);
        s.emulator.clearRequests();
        const cpuBefore = childCpuMs();
        const started = performance.now();
        const steps = await s.engine.up(declared);
        const ms = performance.now() - started;
        const cpu = childCpuMs() - cpuBefore;
        return { ms, cpu, requests: s.emulator.requests().length, failed: steps.filter((step) => step.error).length };
    } finally {
        await s.stop();
    }
}

/** The resources both programs declare: one per seeded connection, one attribute each. */
export function throughHostResources(): Declaration[] {
    return seedConnections(RESOURCES).map((connection, i) => ({
        name: `r${i}`,
        args: { connectionId: connection.id, attributes: [`attr_${i}`] },
    }));
}

/**
 * Prints both providers' `up` wall time and the host's CPU time per round (alternating which goes
 * first), and the ratios of the medians. CPU time is the steadier figure on a shared machine.
 */
export async function throughHost(): Promise<void> {
    const resources = throughHostResources();
    const ours = declare(resources);
    const bare = declare(resources, BARE_PROGRAM);
    const rows: (string | number)[][] = [];
    const times = { ours: [] as number[], bare: [] as number[] };
    const cpu = { ours: [] as number[], bare: [] as number[] };
    for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 ? (["bare", "ours"] as const) : (["ours", "bare"] as const);
        const result: Record<string, Awaited<ReturnType<typeof timedUp>>> = {};
        for (const which of order) result[which] = await timedUp(which === "ours" ? ours : bare);
        times.ours.push(result.ours.ms);
        times.bare.push(result.bare.ms);
        cpu.ours.push(result.ours.cpu);
        cpu.bare.push(result.bare.cpu);
        rows.push([
            round,
            `${result.bare.ms.toFixed(0)} / ${result.bare.cpu.toFixed(0)}`,
            result.bare.requests,
            `${result.ours.ms.toFixed(0)} / ${result.ours.cpu.toFixed(0)}`,
            result.ours.requests,
            ratio(result.ours.ms, result.bare.ms),
            ratio(result.ours.cpu, result.bare.cpu),
            result.bare.failed + result.ours.failed,
        ]);
    }
    rows.push([
        "median",
        `${median(times.bare).toFixed(0)} / ${median(cpu.bare).toFixed(0)}`,
        "",
        `${median(times.ours).toFixed(0)} / ${median(cpu.ours).toFixed(0)}`,
        "",
        ratio(median(times.ours), median(times.bare)),
        ratio(median(cpu.ours), median(cpu.bare)),
        "",
    ]);
    table(
        `Through the dynamic-provider host: ${RESOURCES} creates on ${RESOURCES} connections, ${LATENCY_MS} ms latency, \`up\` after a warm-up preview in a fresh host`,
        [
            "round",
            "minimal provider, bare GET+PATCH: wall / host CPU ms",
            "requests",
            "ConnectionDenyList: wall / host CPU ms",
            "requests",
            "wall ratio",
            "host CPU ratio",
            "failures",
        ],
        rows,
    );
}
