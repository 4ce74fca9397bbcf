/**
 * Reads that share a request: concurrent reads of one connection (a refresh of many resources
 * on it) wait for the one GET in flight instead of sending their own, and concurrent lookups of
 * one name share one list request. Only in-flight requests are shared: a read that starts after
 * an answer arrived sends a new GET, so no read is served from an older answer. Nothing read
 * here is ever written back (writes take their own GET, writer.ts).
 */
import type { Auth0Client } from "../auth0/client";
import type { Connection } from "../auth0/wire";

/** Shares in-flight reads per connection id and per connection name. */
export class SharedReads {
    private readonly connections = new Map<string, Promise<Connection | undefined>>();
    private readonly names = new Map<string, Promise<string | undefined>>();

    constructor(private readonly client: Auth0Client) {}

    /** The connection as Auth0 holds it now; undefined when Auth0 says it does not exist. */
    connection(id: string): Promise<Connection | undefined> {
        return share(this.connections, id, () =>
            this.client.retry.run((deadline) => this.client.getConnection(id, deadline)),
        );
    }

    /** The id of the connection named `name`, or undefined when there is none. */
    connectionId(name: string): Promise<string | undefined> {
        return share(this.names, name, () =>
            this.client.retry.run((deadline) => this.client.findConnectionId(name, deadline)),
        );
    }
}

function share<T>(inFlight: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
    let request = inFlight.get(key);
    if (!request) {
        request = start().finally(() => inFlight.delete(key));
        inFlight.set(key, request);
    }
    return request;
}
