/**
 * Free tier: creates on a tenant limited as Auth0's free plan is (burst 2, 2 requests/s), through
 * the host, under each way a tenant may report its limit, against the limit's own bound in the same
 * run: a full bucket lets `burst` requests through at once, then one per 1/rate s, so the least
 * time the tenant allows for the requests it accepted is (accepted − burst) ÷ rate.
 */

import { declare, HEADER_READINGS, ratio, seedConnections, stack, table } from "./support";

const RESOURCES = 20;
const LIMIT = { burst: 2, perSecond: 2 };
const TARGET = 1.05;

/** Prints, per header reading, time, bound, ratio and 429s for RESOURCES creates on as many connections. */
export async function freeTier(): Promise<void> {
    const connections = seedConnections(RESOURCES);
    const declared = declare(
        connections.map((c, i) => ({ name: `r${i}`, args: { connectionId: c.id, attributes: ["a"] } })),
    );
    const rows: (string | number)[][] = [];
    for (const reading of HEADER_READINGS) {
        const s = await stack({ seed: connections, rateLimit: { ...LIMIT, ...reading.headers } });
        try {
            await s.engine.preview(declared);
            const started = performance.now();
            const steps = await s.engine.up(declared);
            const seconds = (performance.now() - started) / 1000;
            const api = s.emulator.requests().filter((r) => r.path !== "/oauth/token");
            const accepted = api.filter((r) => r.status !== 429).length;
            const bound = (accepted - LIMIT.burst) / LIMIT.perSecond;
            const applied = connections.filter((c) =>
                (s.emulator.connection(c.id)?.options?.non_persistent_attrs as string[] | undefined)?.includes("a"),
            ).length;
            rows.push([
                reading.name,
                accepted,
                bound.toFixed(2),
                seconds.toFixed(2),
                ratio(seconds, bound),
                `≤ ${TARGET.toFixed(2)}×`,
                api.length - accepted,
                steps.filter((step) => step.error).length,
                `${applied} / ${RESOURCES}`,
            ]);
        } finally {
            await s.stop();
        }
    }
    table(
        `Free tier: ${RESOURCES} creates on ${RESOURCES} connections, tenant limited to burst ${LIMIT.burst}, ${LIMIT.perSecond} requests/s, through the host, per header reading`,
        [
            "headers",
            "accepted requests",
            "bound s ((requests − burst) ÷ rate)",
            "provider s",
            "ratio",
            "target",
            "429s",
            "failures",
            "lists applied",
        ],
        rows,
    );
}
