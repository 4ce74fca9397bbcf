/**
 * Reads a tenant's connections for the audit: every page, with progress, and only if Auth0
 * shows their options (without `read:connections_options` it silently leaves them out, and an
 * audit of lists it cannot see would report them all empty). Read-only: GET requests only.
 */
import { Auth0Client, type ClientOptions } from "../provider/auth0/client";
import type { Credentials } from "../provider/auth0/credentials";
import type { Connection } from "../provider/auth0/wire";
import { listAllConnections } from "../provider/host/connection-list";

/** The token can list connections but not read their options. */
export class MissingOptionsError extends Error {
    override name = "MissingOptionsError";
}

/**
 * Every connection of the tenant. `progress` receives one line per page
 * (`fetched 100 connections from …`); `clientOptions` reaches the Auth0 client (retry log, seams).
 * Read by checkpoint paging: Auth0's offset paging (`page`/`per_page`) stops at 1,000 results, and
 * tenants with self-service SSO hold more. Checkpoint pages carry no total, so progress has none.
 */
export async function readConnections(
    credentials: Credentials,
    progress: (line: string) => void,
    clientOptions: ClientOptions = {},
): Promise<Connection[]> {
    const client = new Auth0Client(credentials, clientOptions);
    const connections = await listAllConnections(client, {
        onPage: (fetched) => progress(`fetched ${fetched} connections from ${client.tenant}`),
    });
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
