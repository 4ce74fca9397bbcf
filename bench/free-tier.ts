/**
 * Free tier: creates on a tenant limited as Auth0's free plan is (burst 2, 2 requests/s), through
 * the host, against the limit's own bound: accepted requests ÷ rate, as the rate-limit table
 * measures it. A full bucket lets `burst` requests through at once, so the least time the tenant
 * allows is (accepted − burst) ÷ rate: printed too, as the stricter ratio. The 429s are counted:
 * past the first, each is a request the client could have held.
 */

import { declare, ratio, seedConnections, stack, table } from "./support";

const RESOURCES = 20;
const LIMIT = { burst: 2, perSecond: 2 };

/** Prints time, bound, ratio and 429s for RESOURCES creates on as many connections. */
export async function freeTier(): Promise<void> {
    const connections = seedConnections(RESOURCES);
    const declared = declare(
        connections.map((c, i) => ({ name: `r${i}`, args: { connectionId: c.id, attributes: ["a"] } })),
    );
    const s = await stack({ seed: connections, rateLimit: LIMIT });
    try {
        await s.engine.preview(declared);
        const started = performance.now();
        const steps = await s.engine.up(declared);
        const seconds = (performance.now() - started) / 1000;
        const api = s.emulator.requests().filter((r) => r.path !== "/oauth/token");
        const accepted = api.filter((r) => r.status !== 429).length;
        const tooMany = api.length - accepted;
        const bound = accepted / LIMIT.perSecond;
        const strictBound = (accepted - LIMIT.burst) / LIMIT.perSecond;
        const applied = connections.filter((c) =>
            (s.emulator.connection(c.id)?.options?.non_persistent_attrs as string[] | undefined)?.includes("a"),
        ).length;
        table(
            `Free tier: ${RESOURCES} creates on ${RESOURCES} connections, tenant limited to burst ${LIMIT.burst}, ${LIMIT.perSecond} requests/s, through the host`,
            [
                "accepted requests",
                "bound s (requests ÷ rate)",
                "provider s",
                "ratio",
                "ratio to (requests − burst) ÷ rate",
                "429s",
                "429s after the first",
                "failures",
                "lists applied",
            ],
            [
                [
                    accepted,
                    bound.toFixed(2),
                    seconds.toFixed(2),
                    ratio(seconds, bound),
                    ratio(seconds, strictBound),
                    tooMany,
                    Math.max(0, tooMany - 1),
                    steps.filter((step) => step.error).length,
                    applied,
                ],
            ],
        );
    } finally {
        await s.stop();
    }
}
