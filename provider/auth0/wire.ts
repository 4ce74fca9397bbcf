/** zod schemas for what the Auth0 Management API sends back; only the fields we rely on are checked. */
import { z } from "zod";

/**
 * A JSON object passed through as the very object JSON.parse made. A copying schema
 * (z.record, z.looseObject) rebuilds it by assignment, which silently drops an own key named
 * `__proto__`; user-chosen option keys can be anything, and every one must go back to Auth0.
 */
const VerbatimObjectSchema = z.custom<Record<string, unknown>>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value),
    { error: "expected an object" },
);

/**
 * A connection as GET/PATCH return it. `options` is kept verbatim (every key, known or not) so
 * it can be sent back unchanged; a response without it means the token may not read options.
 */
export const ConnectionSchema = z.looseObject({
    id: z.string(),
    name: z.string(),
    strategy: z.string(),
    display_name: z.string().nullable().optional(),
    options: VerbatimObjectSchema.nullable().optional(),
});

/** A connection as the Management API returns it. */
export type Connection = z.infer<typeof ConnectionSchema>;

/**
 * `GET /api/v2/connections` with checkpoint paging: a page and the checkpoint of the next one,
 * `next`, which the last page leaves out (read an empty or `null` one the same way). A bare array
 * (a name lookup, or a server that does not page) reads as a last page.
 */
export const ConnectionPageSchema = z.union([
    z.object({ connections: z.array(ConnectionSchema), next: z.string().nullish() }),
    z.array(ConnectionSchema).transform((connections) => ({ connections, next: undefined })),
]);

/** One page of connections, and where the next one starts. */
export type ConnectionPage = z.infer<typeof ConnectionPageSchema>;

/** `POST /oauth/token` (client credentials). */
export const TokenResponseSchema = z.object({
    access_token: z.string().min(1),
    expires_in: z.number().positive(),
    scope: z.string().optional(),
    token_type: z.string().optional(),
});

/** Auth0's error body; every field optional because proxies and outages send other shapes. */
export const ErrorBodySchema = z.object({
    statusCode: z.number().optional(),
    error: z.string().optional(),
    message: z.string().optional(),
    error_description: z.string().optional(),
    errorCode: z.string().optional(),
});

/**
 * True when a 404 body is Auth0's own answer for a connection that does not exist
 * (`errorCode: inexistent_connection`, or its older shape without the code). An HTML page or
 * another server's 404 is not: it says nothing about the connection.
 */
export function isConnectionNotFound(body: string): boolean {
    let json: unknown;
    try {
        json = JSON.parse(body);
    } catch {
        return false;
    }
    const parsed = ErrorBodySchema.safeParse(json);
    if (!parsed.success) return false;
    const { statusCode, error, message, errorCode } = parsed.data;
    if (errorCode !== undefined) return errorCode === "inexistent_connection";
    return statusCode === 404 && error === "Not Found" && /connection does not exist/i.test(message ?? "");
}

/** The deny list inside `options`; Auth0 returns `null` for a connection that never had one. */
export const NonPersistentAttrsSchema = z.array(z.string()).nullable().optional();
