/**
 * TenantDenyList: one resource over a whole tenant, created through the host. Under a rate limit,
 * in each way a tenant may report it, its wall time against the limit's own bound ((accepted
 * requests − burst) ÷ rate), its requests per connection it changed beside the list pages, and its 429s. On a large tenant without a
 * limit, its time against a bare axios list + GET + PATCH per connection, and the size of its
 * state against the 256 KB target.
 */

import { type Emulator, type EmulatorOptions, type RecordedRequest, startEmulator } from "../emulator";
import { type Declared, runProgram } from "../harness/program";
import type { TenantDenyListArgs } from "../provider";
import { bareClient, HEADER_READINGS, PROGRAM, project, ratio, stack, table } from "./support";

const ATTRIBUTES = ["national_id", "birthdate"];
const LIST_PATH = "/api/v2/connections";

/** 200 connections at 50 requests/s; a bucket of 10 (Auth0's Enterprise non-production burst) makes the bound strict. */
const LIMITED = { connections: 200, rateLimit: { burst: 10, perSecond: 50 }, ratio: 1.1, refusals: 10 };
/** 1,000 connections, no limit: every one must be covered, with state ≤ 256 KB. */
const LARGE = { connections: 1_000, stateTarget: 256 * 1024 };

/** What the program registers for one TenantDenyList named `tenant` with `args`. */
function declareTenant(args: TenantDenyListArgs): Declared[] {
    const entries = [{ name: "tenant", tenant: true, args }];
    return runProgram(project, PROGRAM, { "auth0-deny-list:resources": entries }).resources;
}

/** What `up` of `declared` did on a fresh stack: wall time, API requests, outputs, failures. */
async function timedUp(options: EmulatorOptions, declared: Declared[]) {
    const s = await stack(options);
    try {
        // A warm host, as `pulumi up` previews first; the preview sends no request.
        await s.engine.preview(declared);
        s.emulator.clearRequests();
        const started = performance.now();
        const steps = await s.engine.up(declared);
        const seconds = (performance.now() - started) / 1000;
        const api = s.emulator.requests().filter((r) => r.path !== "/oauth/token");
        const outputs = [...s.engine.state.values()][0]?.outputs ?? {};
        return {
            seconds,
            api,
            outputs,
            failed: steps.filter((step) => step.error).length,
            covered: holding(s.emulator),
            total: s.emulator.connections().length,
        };
    } finally {
        await s.stop();
    }
}

/** Connections whose deny list holds every attribute. */
function holding(emulator: Emulator): number {
    return emulator.connections().filter((c) => {
        const list = (c.options?.non_persistent_attrs ?? []) as string[];
        return ATTRIBUTES.every((entry) => list.includes(entry));
    }).length;
}

/** List pages answered (a refused page is counted with the 429s). */
function listPages(api: RecordedRequest[]): number {
    return api.filter((r) => r.method === "GET" && r.path === LIST_PATH && r.status !== 429).length;
}

/** Connections a PATCH changed. */
function changed(api: RecordedRequest[]): number {
    return new Set(api.filter((r) => r.method === "PATCH" && r.status === 200).map((r) => r.path)).size;
}

/** Prints, per header reading, the limited tenant's figures against the limit's bound and the per-connection target. */
async function underRateLimit(): Promise<void> {
    const { burst, perSecond } = LIMITED.rateLimit;
    const declared = declareTenant({ attributes: ATTRIBUTES });
    const rows: (string | number)[][] = [];
    for (const reading of HEADER_READINGS) {
        const run = await timedUp(
            {
                seed: [],
                generated: { count: LIMITED.connections },
                rateLimit: { ...LIMITED.rateLimit, ...reading.headers },
            },
            declared,
        );
        const accepted = run.api.filter((r) => r.status !== 429);
        const pages = listPages(run.api);
        const written = changed(run.api);
        const bound = (accepted.length - burst) / perSecond;
        rows.push([
            reading.name,
            accepted.length,
            pages,
            written,
            ((accepted.length - pages) / written).toFixed(2),
            bound.toFixed(2),
            run.seconds.toFixed(2),
            ratio(run.seconds, bound),
            run.api.length - accepted.length,
            run.failed,
            `${run.covered} / ${run.total}`,
        ]);
    }
    table(
        `TenantDenyList create over ${LIMITED.connections} connections, tenant limited to burst ${burst}, ${perSecond} requests/s, through the host, per header reading (targets: ≤ 2 requests per changed connection beside the pages, ≤ ${LIMITED.ratio.toFixed(2)}× the bound, ≤ ${LIMITED.refusals} 429s)`,
        [
            "headers",
            "accepted requests",
            "list pages",
            "changed connections",
            "accepted per change beside the pages",
            "bound s ((requests − burst) ÷ rate)",
            "provider s",
            "ratio",
            "429s",
            "failures",
            "covered",
        ],
        rows,
    );
}

/** The baseline: every page of the list, then for each connection concurrently one GET and one PATCH. */
async function bareAxios(emulator: Emulator): Promise<number> {
    const { client, headers } = await bareClient(emulator);
    const started = performance.now();
    const ids: string[] = [];
    let from: string | undefined;
    do {
        const { data } = await client.get(LIST_PATH, { headers, params: { take: 100, ...(from ? { from } : {}) } });
        ids.push(...data.connections.map((c: { id: string }) => c.id));
        from = data.next;
    } while (from);
    await Promise.all(
        ids.map(async (id) => {
            const { data } = await client.get(`${LIST_PATH}/${id}`, { headers });
            const list = [...(data.options.non_persistent_attrs ?? []), ...ATTRIBUTES];
            await client.patch(
                `${LIST_PATH}/${id}`,
                { options: { ...data.options, non_persistent_attrs: list }, display_name: data.display_name },
                { headers },
            );
        }),
    );
    return (performance.now() - started) / 1000;
}

/** Prints the large tenant's time against the bare loop, its requests and the size of its state. */
async function largeTenant(): Promise<void> {
    const options = { seed: [], generated: { count: LARGE.connections } };
    const base = await startEmulator(options);
    let bare: number;
    let bareRequests: number;
    try {
        bare = await bareAxios(base);
        bareRequests = base.requests().filter((r) => r.path !== "/oauth/token").length;
    } finally {
        await base.stop();
    }
    const run = await timedUp(options, declareTenant({ attributes: ATTRIBUTES }));
    const bytes = Buffer.byteLength(JSON.stringify(run.outputs));
    const recorded = (run.outputs.connections as unknown[] | undefined)?.length ?? 0;
    table(
        `TenantDenyList create over ${LARGE.connections.toLocaleString("en")} connections, no rate limit, through the host, vs a bare axios list + GET + PATCH per connection`,
        [
            "covered",
            "in state",
            "requests",
            "list pages",
            "bare requests",
            "provider s",
            "bare s",
            "ratio",
            "state bytes",
            "of 256 KB",
            "failures",
        ],
        [
            [
                `${run.covered} / ${run.total}`,
                recorded,
                run.api.length,
                listPages(run.api),
                bareRequests,
                run.seconds.toFixed(2),
                bare.toFixed(2),
                ratio(run.seconds, bare),
                bytes,
                ratio(bytes, LARGE.stateTarget),
                run.failed,
            ],
        ],
    );
}

/** The TenantDenyList benchmarks: under a rate limit per header reading, then (unless `large` is false) the large tenant. */
export async function tenant({ large = true } = {}): Promise<void> {
    await underRateLimit();
    if (large) await largeTenant();
}
