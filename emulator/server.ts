/**
 * The HTTP front of the emulator: records each request, then applies latency, faults and the
 * rate limit before routing it to `/oauth/token` or the Management API.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type ApiRequest, connectionsApi } from "./connections-api";
import type { Delays } from "./delays";
import { DEFAULT_SLOW_MS, type FaultInjector, faultReply, isManagementApi } from "./faults";
import {
    apiError,
    MAX_BODY_BYTES,
    notFound,
    parseBody,
    queryRecord,
    type Reply,
    readBody,
    recordedBody,
    tooManyRequests,
    unauthorized,
} from "./http";
import { issueToken, type OAuthConfig } from "./oauth";
import { rateLimitHeaders, type TokenBucket } from "./rate-limit";
import type { ConnectionStore } from "./store";
import type { TokenIssuer } from "./tokens";
import type { EmulatorClock, RateLimitOptions, RecordedRequest } from "./types";

/** The emulator's state, shared by every request. */
export interface EmulatorCore {
    store: ConnectionStore;
    tokens: TokenIssuer;
    limiter: TokenBucket;
    /** How the rate headers read. */
    rateHeaders: Pick<RateLimitOptions, "headers" | "resetOffsetSeconds">;
    faults: FaultInjector;
    delays: Delays;
    /** The request log, appended to on arrival. */
    requests: RecordedRequest[];
    /** Credentials and scopes of `/oauth/token`; the scopes are enforced on every API call too. */
    oauth: OAuthConfig;
    latencyMs: number;
    clock: EmulatorClock;
}

/** A request as the routes see it. */
type Incoming = Omit<ApiRequest, "scopes">;

/** Longer than any client's idle timeout, so a reused keep-alive socket is never closed under it. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** An HTTP server (not yet listening) serving the emulator. */
export function createEmulatorServer(core: EmulatorCore): Server {
    const server = createServer((req, res) => {
        handle(core, req, res).catch(() => {
            // A bug or a vanished client must cost one request, never the process.
            if (res.headersSent || res.destroyed) res.destroy();
            else
                send(
                    res,
                    apiError(500, "Internal Server Error"),
                    rateLimitHeaders(core.limiter.peek(), core.rateHeaders),
                );
        });
    });
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
    return server;
}

async function handle(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = core.clock.Date.now();
    const method = req.method ?? "GET";
    const target = req.url ?? "/";
    const queryStart = target.includes("?") ? target.indexOf("?") : target.length;
    const path = target.slice(0, queryStart);
    const query = new URLSearchParams(target.slice(queryStart + 1));
    const { text, tooLarge } = await readBody(req, MAX_BODY_BYTES);
    const incoming: Incoming = { method, path, query, body: parseBody(req.headers["content-type"], text, tooLarge) };
    const record: RecordedRequest = {
        method,
        path,
        query: queryRecord(query),
        body: recordedBody(incoming.body),
        status: 0,
        time,
    };
    core.requests.push(record);

    await core.delays.delay(core.latencyMs);
    const fault = core.faults.pick(method, path);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === "drop") {
        req.socket.destroy();
        return;
    }
    if (fault?.kind === "slow") await core.delays.delay(fault.slowMs ?? DEFAULT_SLOW_MS);

    // /oauth/token belongs to Auth0's Authentication API, which has its own limits.
    const limit = isManagementApi(path) ? core.limiter.take() : core.limiter.peek();
    // A stale answer is the resource as it was before this request changed it.
    const before =
        fault?.kind === "stale" ? route(core, req, { ...incoming, method: "GET", body: { kind: "empty" } }) : undefined;
    const reply =
        (fault && faultReply(fault, core.clock.Date.now(), text)) ??
        (limit.allowed ? route(core, req, incoming) : tooManyRequests());
    record.status = reply.status;
    if (fault?.kind === "lost") {
        req.socket.destroy();
        return;
    }
    send(res, before && reply.status < 300 ? before : reply, rateLimitHeaders(limit, core.rateHeaders));
}

function route(core: EmulatorCore, req: IncomingMessage, incoming: Incoming): Reply {
    const { method, path, body } = incoming;
    if (body.kind === "too-large") {
        return apiError(413, `Payload content length greater than maximum allowed: ${MAX_BODY_BYTES}`);
    }
    if (path === "/oauth/token") {
        return method === "POST"
            ? issueToken(core.oauth, body, `http://127.0.0.1:${req.socket.localPort}`)
            : notFound();
    }
    if (!isManagementApi(path)) return notFound();
    const unauthorized = authenticate(core.tokens, req.headers.authorization);
    if (unauthorized) return unauthorized;
    return connectionsApi(core.store, { ...incoming, scopes: new Set(core.oauth.scopes()) });
}

/** The 401 for a missing, unknown or expired bearer token, or `undefined` when it is valid. */
function authenticate(tokens: TokenIssuer, header: string | undefined): Reply | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
    const state = token === undefined ? "unknown" : tokens.check(token);
    if (state === "valid") return undefined;
    const message = state === "expired" ? "Expired token received for JSON Web Token validation" : "Invalid token.";
    return unauthorized(message);
}

function send(res: ServerResponse, reply: Reply, rateHeaders: Record<string, string>): void {
    if (res.destroyed) return; // the client left while the reply was delayed
    const headers: Record<string, string> = { ...rateHeaders, ...reply.headers };
    if (reply.payload !== undefined) headers["content-type"] = reply.contentType ?? "application/json; charset=utf-8";
    headers["content-length"] = String(Buffer.byteLength(reply.payload ?? ""));
    res.writeHead(reply.status, headers).end(reply.payload);
}
