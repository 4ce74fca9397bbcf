/**
 * A local Auth0 Management API emulator (`pulumi-auth0-deny-list/emulator`): a real HTTP server
 * for tests, the demo and offline stacks.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Delays } from "./delays";
import { FaultInjector } from "./faults";
import { generateConnections } from "./generated";
import { TokenBucket } from "./rate-limit";
import { builtInSeed } from "./seed";
import { createEmulatorServer, type EmulatorCore } from "./server";
import { ConnectionStore } from "./store";
import { TokenIssuer } from "./tokens";
import type { Emulator, EmulatorOptions, RateLimitOptions } from "./types";

export { RATE_HEADERS } from "./rate-limit";
export type {
    Connection,
    Emulator,
    EmulatorClock,
    EmulatorOptions,
    FaultKind,
    FaultPlan,
    FaultRule,
    GeneratedConnections,
    RateHeaders,
    RateLimitOptions,
    RecordedRequest,
} from "./types";

/** Scopes granted when `scopes` is not given. */
export const DEFAULT_SCOPES: readonly string[] = [
    "read:connections",
    "update:connections",
    "read:connections_options",
    "update:connections_options",
    "create:connections",
    "delete:connections",
];

/** Client id accepted when `clientId` is not given. */
export const DEFAULT_CLIENT_ID = "emulator-client-id";

/** Client secret accepted when `clientSecret` is not given; fixed so printed env lines stay valid. */
export const DEFAULT_CLIENT_SECRET = "FAKE-emulator-client-secret-0000000000000000";

/** "No rate limit": a bucket no test can empty, so the headers still look like Auth0's. */
const UNLIMITED: RateLimitOptions = { burst: 1_000_000, perSecond: 1_000_000 };

/** Starts an emulator on 127.0.0.1 and resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
    const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
    let scopes: readonly string[] = [...(options.scopes ?? DEFAULT_SCOPES)];
    const clock = options.clock ?? globalThis;
    const now = () => clock.Date.now();
    const tokens = new TokenIssuer(options.tokenTtlSeconds ?? 86_400, now);
    const rate = options.rateLimit ?? UNLIMITED;
    const seed = [...(options.seed ?? builtInSeed())];
    if (options.generated)
        seed.push(
            ...generateConnections(
                options.generated,
                seed.map((c) => c.name),
            ),
        );
    const core: EmulatorCore = {
        store: new ConnectionStore(seed, options.stateFile),
        tokens,
        limiter: new TokenBucket(rate.burst, rate.perSecond, now),
        rateHeaders: rate,
        faults: new FaultInjector(options.faults),
        delays: new Delays(clock),
        requests: [],
        oauth: { clientId, clientSecret, tokens, scopes: () => scopes },
        latencyMs: options.latencyMs ?? 0,
        clock,
    };
    const server = createEmulatorServer(core);
    server.listen(options.port ?? 0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;

    let stopped: Promise<void> | undefined;
    return {
        url: `http://127.0.0.1:${port}`,
        clientId,
        clientSecret,
        stop() {
            stopped ??= new Promise((resolve) => {
                core.delays.cancelAll();
                server.close(() => resolve());
                server.closeAllConnections();
            });
            return stopped;
        },
        connections: () => core.store.all(),
        connection: (id) => core.store.get(id),
        requests: () => structuredClone(core.requests),
        clearRequests() {
            core.requests.length = 0;
        },
        injectFault: (rule) => core.faults.add(rule),
        setScopes(next) {
            scopes = [...next];
        },
        expireTokens: () => tokens.expireAll(),
        issuedTokens: () => tokens.issued(),
        update(id, mutate) {
            if (!core.store.update(id, mutate)) throw new Error(`emulator has no connection ${id}`);
        },
        addConnections(spec) {
            const added = generateConnections(spec, core.store.names());
            core.store.add(...added);
            return structuredClone(added);
        },
    };
}
