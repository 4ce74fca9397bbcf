/**
 * Reads a tenant's connections for the audit: every page, with progress, and only if Auth0
 * shows their options (without `read:connections_options` it silently leaves them out, and an
 * audit of lists it cannot see would report them all empty). Read-only: GET requests only.
 */
import { Auth0Client, type ClientOptions } from "../provider/auth0/client";
import type { Credentials } from "../provider/auth0/credentials";
import { Auth0Error } from "../provider/auth0/errors";
import type { Connection } from "../provider/auth0/wire";

/** Connections asked for per page: the Management API's maximum. */
const CONNECTIONS_PER_PAGE = 100;

/** The token can list connections but not read their options. */
export class MissingOptionsError extends Error {
    override name = "MissingOptionsError";
}

/**
 * Every connection of the tenant. `progress` receives one line per page
 * (`fetched 100/120 connections from …`); `clientOptions` reaches the Auth0 client (retry log, seams).
 */
export async function readConnections(
    credentials: Credentials,
    progress: (line: string) => void,
    clientOptions: ClientOptions = {},
): Promise<Connection[]> {
    const client = new Auth0Client(credentials, clientOptions);
    const connections = await listConnections(client, (fetched, total) =>
        progress(`fetched ${fetched}/${total ?? "?"} connections from ${client.tenant}`),
    );
    const blind = connections.filter((connection) => !connection.options);
    if (blind.length > 0) {
        throw new MissingOptionsError(
            `Auth0 returned ${blind.length} of ${connections.length} connection(s) of ${client.tenant} without options ` +
                "(so without their deny lists): the token lacks the read:connections_options scope. Grant " +
                "read:connections and read:connections_options to the Machine-to-Machine application; " +
                "this tool never writes and needs no other scope.",
        );
    }
    return connections;
}

/**
 * Every connection of the tenant, options included, read page by page (each page retried under
 * the client's policy). `onPage` hears the progress after each page (`total` is undefined when
 * Auth0 sent no totals). A connection seen on two pages (the tenant changed while paging) is
 * returned once.
 */
export async function listConnections(
    client: Auth0Client,
    onPage?: (fetched: number, total: number | undefined) => void,
): Promise<Connection[]> {
    const byId = new Map<string, Connection>();
    for (let page = 0; ; page++) {
        const query = { page: String(page), per_page: String(CONNECTIONS_PER_PAGE), include_totals: "true" };
        const answer = await client.retry.run((deadline) => client.listConnections(query, deadline));
        const known = byId.size;
        for (const connection of answer.connections) byId.set(connection.id, connection);
        onPage?.(byId.size, answer.total);
        if (answer.connections.length === 0) return [...byId.values()];
        if (byId.size === known) {
            // A server that ignores `page` would otherwise be asked forever.
            throw new Auth0Error(
                `Auth0 list connections on ${client.tenant} failed: page ${page} held only connections already listed; the server seems to ignore paging`,
            );
        }
        // With totals, stop at the last page; without, at the first empty one.
        const start = answer.start ?? page * (answer.limit ?? CONNECTIONS_PER_PAGE);
        if (answer.total !== undefined && start + answer.connections.length >= answer.total) return [...byId.values()];
    }
}
