/** The `/api/v2/connections` routes, behaving as Auth0 documents them. */
import { apiError, type Body, json, notFound, type Reply } from "./http";
import { newConnectionId } from "./ids";
import { keepManagedOptions } from "./kept-options";
import type { ConnectionStore, Placed } from "./store";
import type { Connection } from "./types";
import { validateCreate, validatePatch } from "./validation";

/** An authenticated Management API request. */
export interface ApiRequest {
    method: string;
    path: string;
    query: URLSearchParams;
    body: Body;
    /** Scopes the token holds right now. */
    scopes: ReadonlySet<string>;
}

const ROUTE = /^\/api\/v2\/connections(?:\/([^/]+))?\/?$/;
const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 100;
// Auth0's reference: `take` defaults to 50; its published schema allows 1 to 100.
const DEFAULT_TAKE = 50;
const MAX_TAKE = 100;
const CHECKPOINT_PREFIX = "emulator-checkpoint:";
const CHECKPOINT = /^emulator-checkpoint:(\d{1,15})$/;

/** Routes a request under `/api/v2/connections`; 404 for anything else. */
export function connectionsApi(store: ConnectionStore, req: ApiRequest): Reply {
    const match = ROUTE.exec(req.path);
    if (!match) return notFound();
    if (match[1] === undefined) {
        if (req.method === "GET") return listConnections(store, req);
        if (req.method === "POST") return createConnection(store, req);
        return notFound();
    }
    const id = decodeId(match[1]);
    if (req.method === "GET") return getConnection(store, id, req);
    if (req.method === "PATCH") return updateConnection(store, id, req);
    if (req.method === "DELETE") return deleteConnection(store, id, req);
    return notFound();
}

function listConnections(store: ConnectionStore, req: ApiRequest): Reply {
    const denied = requireScope(req, "read:connections");
    if (denied) return denied;
    const name = req.query.get("name");
    const strategies = req.query.getAll("strategy");
    const matching = store.find(
        (c) => (name === null || c.name === name) && (strategies.length === 0 || strategies.includes(c.strategy)),
    );
    const checkpoint = req.query.has("from") || req.query.has("take");
    return checkpoint ? checkpointPage(store, matching, req) : offsetPage(store, matching, req);
}

/**
 * Offset paging: `page` (0-based) of `per_page`, a bare array, or with `include_totals=true`
 * `{connections, start, limit, total}`.
 */
function offsetPage(store: ConnectionStore, matching: readonly Placed[], req: ApiRequest): Reply {
    const page = integerParam(req.query, "page", 0, Number.MAX_SAFE_INTEGER);
    const perPage = integerParam(req.query, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE);
    if (typeof page !== "number") return page;
    if (typeof perPage !== "number") return perPage;
    const start = page * perPage;
    const connections = presentAll(store, matching.slice(start, start + perPage), req);
    if (req.query.get("include_totals") !== "true") return json(200, connections);
    return json(200, { connections, start, limit: perPage, total: matching.length });
}

/**
 * Checkpoint paging, chosen by `from` or `take`: `take` connections after the checkpoint `from`
 * (from the first without it), as `{connections, next}`; the last page has no `next`, and
 * `include_totals` is ignored, as Auth0 documents. A checkpoint is a place in creation order, so
 * a connection deleted or added while a client pages moves nothing it has yet to see.
 */
function checkpointPage(store: ConnectionStore, matching: readonly Placed[], req: ApiRequest): Reply {
    const take = integerParam(req.query, "take", DEFAULT_TAKE, MAX_TAKE, 1);
    if (typeof take !== "number") return take;
    const from = req.query.get("from");
    const after = from === null ? -1 : checkpointPosition(from);
    if (after === undefined) {
        const detail = `Invalid checkpoint ${JSON.stringify(from)}: use the next value of the previous page`;
        return apiError(400, `Query validation error: '${detail}' on property from.`, "invalid_query_string");
    }
    const rest = matching.filter((placed) => placed.position > after);
    const page = rest.slice(0, take);
    const connections = presentAll(store, page, req);
    const last = page.at(-1);
    if (rest.length <= take || last === undefined) return json(200, { connections });
    return json(200, { connections, next: checkpoint(last.position) });
}

function getConnection(store: ConnectionStore, id: string, req: ApiRequest): Reply {
    const denied = requireScope(req, "read:connections");
    if (denied) return denied;
    const connection = store.get(id);
    return connection ? json(200, present(connection, req)) : connectionNotFound();
}

function createConnection(store: ConnectionStore, req: ApiRequest): Reply {
    const denied = requireScope(req, "create:connections");
    if (denied) return denied;
    const payload = jsonPayload(req.body);
    if ("status" in payload) return payload;
    const invalid = validateCreate(payload.value);
    if (invalid) return apiError(400, invalid, "invalid_body");
    const fields = payload.value as Omit<Connection, "id">;
    if (store.hasName(fields.name)) {
        return apiError(409, "A connection with the same name already exists", "connection_conflict");
    }
    // Auth0's defaults for what the body leaves out.
    const connection: Connection = {
        id: newConnectionId(),
        options: {},
        realms: [fields.name],
        enabled_clients: [],
        is_domain_connection: false,
        ...fields,
    };
    store.add(connection);
    return json(201, present(connection, req));
}

function updateConnection(store: ConnectionStore, id: string, req: ApiRequest): Reply {
    const denied = requireScope(req, "update:connections");
    if (denied) return denied;
    const payload = jsonPayload(req.body);
    if ("status" in payload) return payload;
    const patch = payload.value as Partial<Connection>;
    if (typeof patch === "object" && patch !== null && "options" in patch) {
        const deniedOptions = requireScope(req, "update:connections_options");
        if (deniedOptions) return deniedOptions;
    }
    const invalid = validatePatch(patch);
    if (invalid) return apiError(400, invalid, "invalid_body");
    const updated = store.update(id, (connection) => applyPatch(connection, patch));
    return updated ? json(200, present(updated, req)) : connectionNotFound();
}

function deleteConnection(store: ConnectionStore, id: string, req: ApiRequest): Reply {
    const denied = requireScope(req, "delete:connections");
    if (denied) return denied;
    return store.remove(id) ? { status: 202 } : connectionNotFound();
}

/**
 * Top-level keys are replaced, never merged: `options` arrives whole or not at all, and of the
 * stored options only a few keys Auth0 manages itself survive. Keys the body omits, `display_name`
 * included, stay as they were: Auth0's docs say it is reset to `name`, its recorded answers never
 * do that.
 */
function applyPatch(connection: Connection, patch: Partial<Connection>): void {
    const stored = connection.options;
    Object.assign(connection, structuredClone(patch));
    if (patch.options && connection.options) keepManagedOptions(connection.strategy, stored, connection.options);
}

/** What the token may see of each connection `placed` names. */
function presentAll(store: ConnectionStore, placed: readonly Placed[], req: ApiRequest): Partial<Connection>[] {
    return placed.flatMap(({ id }) => {
        const connection = store.get(id);
        return connection ? [present(connection, req)] : [];
    });
}

/** What the token may see of a connection, restricted to `fields` when asked. */
function present(connection: Connection, req: ApiRequest): Partial<Connection> {
    if (!req.scopes.has("read:connections_options")) delete connection.options;
    const fields = req.query.get("fields");
    if (!fields) return connection;
    const wanted = new Set(fields.split(","));
    const include = req.query.get("include_fields") !== "false";
    return Object.fromEntries(Object.entries(connection).filter(([key]) => wanted.has(key) === include));
}

function requireScope(req: ApiRequest, scope: string): Reply | undefined {
    if (req.scopes.has(scope)) return undefined;
    return apiError(403, `Insufficient scope; expected any of: ${scope}`, "insufficient_scope");
}

/** The parsed JSON body, or the 4xx for a body that is not JSON. An empty body reads as `null`. */
function jsonPayload(body: Body): { value: unknown } | Reply {
    switch (body.kind) {
        case "json":
            return { value: body.value };
        case "empty":
            return { value: null };
        case "malformed":
            return apiError(400, "Invalid request payload JSON format", "invalid_json");
        default:
            return apiError(415, "Unsupported Media Type", "unsupported_media_type");
    }
}

function integerParam(query: URLSearchParams, name: string, fallback: number, max: number, min = 0): number | Reply {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw);
    const detail = `Expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`;
    return apiError(400, `Query validation error: '${detail}' on property ${name}.`, "invalid_query_string");
}

/** The opaque `next` of a checkpoint page: the creation position of the last connection it held. */
function checkpoint(position: number): string {
    return Buffer.from(`${CHECKPOINT_PREFIX}${position}`).toString("base64url");
}

/** The position a checkpoint names, or `undefined` for one the emulator never issued. */
function checkpointPosition(from: string): number | undefined {
    const match = CHECKPOINT.exec(Buffer.from(from, "base64url").toString());
    return match ? Number(match[1]) : undefined;
}

function connectionNotFound(): Reply {
    return apiError(404, "The connection does not exist", "inexistent_connection");
}

/** A malformed escape cannot name a connection; keep it as is so the lookup 404s. */
function decodeId(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
}
