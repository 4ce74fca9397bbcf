/**
 * `npm run bench`: request counts, coalescing, overhead and behaviour under rate limits, measured
 * through the same engine driver as the engine-level tests (packed package, real dynamic-provider
 * host over gRPC) against the emulator. Every figure is printed with its baseline from this run.
 * `npm run bench:tenant` (`tsx bench/run.ts tenant`) runs only the TenantDenyList benchmarks,
 * `npm run bench:plugin` (`tsx bench/run.ts plugin`) only the provider plugin's,
 * `npm run bench:pacing` (`tsx bench/run.ts pacing`) only the rate-limited ones, per header reading,
 * `tsx bench/run.ts program` only the program side, `tsx bench/run.ts memory` only the host's memory
 * growth, and `tsx bench/run.ts writer` only the cases
 * the writer's batching decides (N resources on one connection, in-process overhead, through the host).
 */

import { type Emulator, startEmulator } from "../emulator";
import { SEED_IDS } from "../emulator/seed";
import { ConnectionDenyListProvider } from "../provider";
import { freeTier } from "./free-tier";
import { pluginBench } from "./plugin";
import { programSide } from "./program-side";
import { refresh } from "./refresh";
import {
    BARE_PROGRAM,
    bareClient,
    cleanUp,
    declare,
    machine,
    PROGRAM,
    ratio,
    seedConnections,
    stack,
    table,
    take,
} from "./support";
import { tenant } from "./tenant";
import { throughHost } from "./through-host";

async function requestsPerOperation(): Promise<void> {
    const s = await stack();
    try {
        const one = (attributes: string[]) =>
            declare([{ name: "r", args: { connectionId: SEED_IDS.google, attributes } }]);
        const rows: (string | number)[][] = [];
        const record = (op: string, target: number, naive: number) => {
            const { api, token } = take(s.emulator);
            rows.push([op, api, target, naive, token]);
        };
        const v1 = one(["a"]);
        await s.engine.preview(v1);
        record("preview (check + diff)", 0, 0);
        await s.engine.up(v1);
        record("create", 2, 2);
        await s.engine.up(v1);
        record("no-op up", 0, 2);
        const v2 = one(["a", "b"]);
        await s.engine.up(v2);
        record("update", 2, 2);
        await s.engine.refresh();
        record("read (refresh)", 1, 1);
        await s.engine.destroy();
        record("delete", 2, 2);
        const tokens = s.emulator.issuedTokens().length;
        rows.push(["tokens per host process", tokens, 1, "-", "-"]);
        table(
            "Requests per operation (one resource; naive = a bare GET+PATCH on every up)",
            ["operation", "requests", "target", "naive", "token requests"],
            rows,
        );
    } finally {
        await s.stop();
    }
}

async function coalescing(): Promise<void> {
    const rows: (string | number)[][] = [];
    for (const n of [1, 5, 20, 100]) {
        const s = await stack();
        try {
            const declared = declare(
                Array.from({ length: n }, (_, i) => ({
                    name: `r${i}`,
                    args: { connectionId: SEED_IDS.oidc, attributes: [`a${i % 50}`] },
                })),
            );
            take(s.emulator);
            const steps = await s.engine.up(declared);
            const { api } = take(s.emulator);
            const failed = steps.filter((step) => step.error).length;
            rows.push([n, api, 2 * n, ratio(api, 2 * n), failed]);
        } finally {
            await s.stop();
        }
    }
    table(
        "N resources on one connection in one up (concurrent; at most 50 distinct attributes, under Auth0's 96)",
        ["N", "requests", "naive 2N", "ratio", "failures"],
        rows,
    );
}

/** The baseline: for each connection concurrently, one axios GET and one PATCH with the final list. */
async function bareAxios(emulator: Emulator, changes: Map<string, string[]>): Promise<void> {
    const { client, headers } = await bareClient(emulator);
    await Promise.all(
        [...changes].map(async ([id, add]) => {
            const { data } = await client.get(`/api/v2/connections/${id}`, { headers });
            const list = [...(data.options.non_persistent_attrs ?? []), ...add];
            await client.patch(
                `/api/v2/connections/${id}`,
                { options: { ...data.options, non_persistent_attrs: list }, display_name: data.display_name },
                { headers },
            );
        }),
    );
}

async function overhead(): Promise<void> {
    const connections = seedConnections(20);
    const resources = Array.from({ length: 100 }, (_, i) => ({
        name: `r${i}`,
        args: { connectionId: connections[i % 20].id, attributes: [`attr_${i}`] },
    }));
    const declared = declare(resources);
    const changes = new Map<string, string[]>();
    for (const r of resources)
        changes.set(r.args.connectionId, [...(changes.get(r.args.connectionId) ?? []), ...r.args.attributes]);
    const rows: (string | number)[][] = [];
    const hostStart: number[] = [];
    for (let round = 1; round <= 3; round++) {
        const base = await startEmulator({ seed: connections, latencyMs: 25 });
        let started = performance.now();
        await bareAxios(base, changes);
        const bare = performance.now() - started;
        const bareRequests = base.requests().length;
        await base.stop();

        const direct = await startEmulator({ seed: connections, latencyMs: 25 });
        const provider = new ConnectionDenyListProvider({
            env: {
                AUTH0_DOMAIN: direct.url,
                AUTH0_CLIENT_ID: direct.clientId,
                AUTH0_CLIENT_SECRET: direct.clientSecret,
            },
        });
        started = performance.now();
        await Promise.all(resources.map((r) => provider.create(r.args)));
        const inProcess = performance.now() - started;
        await direct.stop();

        const s = await stack({ seed: connections, latencyMs: 25 });
        try {
            // `pulumi up` previews first: that loads @pulumi/pulumi and this package into the host,
            // a per-deployment cost of every dynamic provider, measured apart below.
            const warm = performance.now();
            await s.engine.preview(declared);
            hostStart.push(performance.now() - warm);
            started = performance.now();
            const steps = await s.engine.up(declared);
            const ours = performance.now() - started;
            const failed = steps.filter((step) => step.error).length;
            rows.push([
                round,
                bare.toFixed(0),
                bareRequests,
                inProcess.toFixed(0),
                ratio(inProcess, bare),
                ours.toFixed(0),
                s.emulator.requests().length,
                ratio(ours, bare),
                failed,
            ]);
        } finally {
            await s.stop();
        }
    }
    table(
        "100 creates across 20 connections, 25 ms latency: provider through the engine vs bare axios GET+PATCH per connection",
        [
            "round",
            "bare axios ms",
            "bare requests",
            "provider in-process ms",
            "ratio",
            "provider via engine host ms",
            "requests",
            "ratio",
            "failures",
        ],
        rows,
    );
    const mean = hostStart.reduce((a, b) => a + b, 0) / hostStart.length;
    console.log(
        `(first preview in a fresh host, which loads @pulumi/pulumi and the package: ${mean.toFixed(0)} ms on average; not counted above)`,
    );
}

async function rateLimited(): Promise<void> {
    const connections = seedConnections(100);
    const declared = declare(
        connections.map((c, i) => ({ name: `r${i}`, args: { connectionId: c.id, attributes: ["a"] } })),
    );
    const limit = { burst: 10, perSecond: 20 };
    const s = await stack({ seed: connections, rateLimit: limit });
    try {
        const started = performance.now();
        const steps = await s.engine.up(declared);
        const seconds = (performance.now() - started) / 1000;
        const all = s.emulator.requests().filter((r) => r.path !== "/oauth/token");
        const accepted = all.filter((r) => r.status !== 429).length;
        const bound = accepted / limit.perSecond;
        const failed = steps.filter((step) => step.error).length;
        const applied = connections.filter((c) =>
            (s.emulator.connection(c.id)?.options?.non_persistent_attrs as string[] | undefined)?.includes("a"),
        ).length;
        table(
            "100 creates on 100 connections, tenant limited to burst 10, 20 requests/s",
            [
                "accepted requests",
                "429s",
                "bound s (requests ÷ rate)",
                "provider s",
                "ratio",
                "failures",
                "lists applied",
            ],
            [
                [
                    accepted,
                    all.length - accepted,
                    bound.toFixed(2),
                    seconds.toFixed(2),
                    ratio(seconds, bound),
                    failed,
                    applied,
                ],
            ],
        );
    } finally {
        await s.stop();
    }
}

/**
 * The host's memory growth over 1,000 resources (create, then refresh), ours beside a minimal
 * dynamic provider doing a bare GET + PATCH with the same inputs, each in a fresh host: peak RSS
 * after `up` and refresh, less the peak after the warm-up preview that loads the provider.
 */
async function memory(): Promise<void> {
    const connections = seedConnections(100);
    const resources = Array.from({ length: 1000 }, (_, i) => ({
        name: `r${i}`,
        args: { connectionId: connections[i % 100].id, attributes: [`m${i}`] },
    }));
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const growth: Record<string, number> = {};
    const rows: (string | number)[][] = [];
    for (const [name, program] of [
        ["minimal dynamic provider, bare GET+PATCH (baseline)", BARE_PROGRAM],
        ["ConnectionDenyList", PROGRAM],
    ] as const) {
        const declared = declare(resources, program);
        const s = await stack({ seed: connections });
        try {
            await s.engine.preview(declared);
            const idle = await s.host.rssBytes();
            const steps = await s.engine.up(declared);
            await s.engine.refresh();
            const peak = await s.host.rssBytes();
            growth[name] = peak - idle;
            rows.push([name, mb(idle), mb(peak), mb(peak - idle), steps.filter((step) => step.error).length]);
        } finally {
            await s.stop();
        }
    }
    const [baseline, ours] = Object.values(growth);
    rows.push(["growth: ConnectionDenyList ÷ baseline", "", "", ratio(ours, baseline), "target ≤ 1.30×"]);
    table(
        "Peak RSS of the dynamic-provider host: 1,000 resources on 100 connections (create + refresh) after a warm-up preview, each provider in a fresh host",
        ["provider", "after preview MB", "after 1,000 resources MB", "growth MB", "failures"],
        rows,
    );
}

async function main(): Promise<void> {
    console.log(`pulumi-auth0-deny-list benchmarks — ${machine()}, ${new Date().toISOString()}`);
    if (process.argv[2] === "tenant") return tenant();
    if (process.argv[2] === "plugin") return pluginBench();
    if (process.argv[2] === "program") return programSide();
    if (process.argv[2] === "memory") return memory();
    if (process.argv[2] === "writer") {
        await coalescing();
        await overhead();
        return throughHost();
    }
    if (process.argv[2] === "pacing") {
        await tenant({ large: false });
        return freeTier();
    }
    await requestsPerOperation();
    await coalescing();
    await overhead();
    await throughHost();
    await pluginBench();
    await refresh();
    await rateLimited();
    await freeTier();
    await programSide();
    await memory();
    await tenant();
}

main()
    .catch((error) => {
        console.error(error);
        process.exitCode = 1;
    })
    .finally(cleanUp);
