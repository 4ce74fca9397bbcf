/**
 * A tenant's connections, every page, for the provider host (TenantDenyList) and the command
 * line. Auth0 lists more than 1,000 connections only by checkpoint paging: `take` per page, then
 * `from` = the previous page's `next`, until a page comes without one.
 */
import type { Auth0Client } from "../auth0/client";
import { Auth0Error } from "../auth0/errors";
import type { Connection } from "../auth0/wire";

/** Connections asked for per page: the most `take` allows (1 to 100 in Auth0's published schema). */
const CONNECTIONS_PER_PAGE = 100;

/**
 * Every connection of the tenant (or of `strategies`), all pages, by checkpoint paging; each page
 * retried under the client's policy. `strategies` is sent as Auth0's repeatable `strategy` filter;
 * an empty list selects no connection and sends no request. `onPage` hears how many distinct
 * connections are in hand after each page. A connection seen twice (the tenant changed while it was
 * read) is returned once, as last seen. A server that ignores `from` and `take` answers a bare
 * array: that is the whole list. One that answers a checkpoint it was already given would page
 * forever: that fails.
 */
export async function listAllConnections(
    client: Auth0Client,
    options: { strategies?: readonly string[]; onPage?: (fetched: number) => void } = {},
): Promise<Connection[]> {
    const { strategies, onPage } = options;
    if (strategies?.length === 0) return [];
    const query: Record<string, string | readonly string[]> = { take: String(CONNECTIONS_PER_PAGE) };
    if (strategies !== undefined) query.strategy = [...new Set(strategies)];
    const byId = new Map<string, Connection>();
    const used = new Set<string>();
    for (;;) {
        const page = await client.retry.run((deadline) => client.listConnections(query, deadline));
        for (const connection of page.connections) byId.set(connection.id, connection);
        onPage?.(byId.size);
        if (!page.next) return [...byId.values()];
        if (used.has(page.next)) {
            throw new Auth0Error(
                `Auth0 list connections on ${client.tenant} failed: after ${used.size + 1} pages the next page ` +
                    "was one already read; the server seems to ignore the from checkpoint",
            );
        }
        used.add(page.next);
        query.from = page.next;
    }
}
