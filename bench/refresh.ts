/**
 * Refresh: N resources on one connection read through the host, against the same number of bare
 * axios GETs of that connection sent at once (what a refresh without shared reads amounts to).
 * The target is one GET per batch: concurrent reads of one connection share it.
 */

import type { Emulator } from "../emulator";
import { bareClient, declare, median, ratio, seedConnections, stack, table, take } from "./support";

const SIZES = [1, 20];
const LATENCY_MS = 25;
const ROUNDS = 3;

/** Milliseconds for `count` concurrent bare GETs of connection `id`, with a token fetched beforehand. */
async function bareGets(emulator: Emulator, id: string, count: number): Promise<number> {
    const { client, headers } = await bareClient(emulator);
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, () => client.get(`/api/v2/connections/${id}`, { headers })));
    return performance.now() - started;
}

/** Prints, per N, the refresh's requests and time against N bare GETs. */
export async function refresh(): Promise<void> {
    const [connection] = seedConnections(1);
    const rows: (string | number)[][] = [];
    for (const n of SIZES) {
        const declared = declare(
            Array.from({ length: n }, (_, i) => ({
                name: `r${i}`,
                args: { connectionId: connection.id, attributes: [`a${i}`] },
            })),
        );
        const ours: number[] = [];
        const bare: number[] = [];
        let requests = 0;
        let failed = 0;
        for (let round = 0; round < ROUNDS; round++) {
            const s = await stack({ seed: [connection], latencyMs: LATENCY_MS });
            try {
                await s.engine.up(declared);
                take(s.emulator);
                const started = performance.now();
                const steps = await s.engine.refresh();
                ours.push(performance.now() - started);
                requests = Math.max(requests, take(s.emulator).api);
                failed += steps.filter((step) => step.error).length;
                bare.push(await bareGets(s.emulator, connection.id, n));
            } finally {
                await s.stop();
            }
        }
        rows.push([
            n,
            requests,
            1,
            n,
            median(ours).toFixed(0),
            median(bare).toFixed(0),
            ratio(median(ours), median(bare)),
            failed,
        ]);
    }
    table(
        `Refresh of N resources on one connection through the host, ${LATENCY_MS} ms latency (median of ${ROUNDS} rounds) vs N bare GETs at once`,
        ["N", "requests (most in a round)", "target", "bare GETs", "refresh ms", "bare GETs ms", "ratio", "failures"],
        rows,
    );
}
