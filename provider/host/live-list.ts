/**
 * The deny list as a connection holds it: read with care, because writing back a connection
 * whose options are missing or malformed would wipe its other settings.
 */
import { StatedError } from "../auth0/errors";
import type { Connection } from "../auth0/wire";
import { NonPersistentAttrsSchema } from "../auth0/wire";

/** A connection whose deny list cannot be changed safely; nothing was written. */
export class UnsafeConnectionError extends StatedError {
    override name = "UnsafeConnectionError";

    constructor(detail: string) {
        super(detail, "nothing");
    }
}

/**
 * The live deny list of a connection (`null` reads as empty). Refuses (throws) when options are
 * missing: writing without them would wipe every other setting of the connection.
 */
export function liveList(connection: Connection, doing: string): string[] {
    if (!connection.options) {
        throw new UnsafeConnectionError(
            `Cannot ${doing} connection ${connection.name} (${connection.id}): Auth0 returned it without options, ` +
                "so the token lacks the read:connections_options scope. Grant read:connections_options and " +
                "update:connections_options to the Machine-to-Machine application.",
        );
    }
    const parsed = NonPersistentAttrsSchema.safeParse(connection.options.non_persistent_attrs);
    if (!parsed.success) {
        throw new UnsafeConnectionError(
            `Connection ${connection.name} (${connection.id}) has a non_persistent_attrs that is not a list of strings; ` +
                "fix it in the Auth0 dashboard or Management API first.",
        );
    }
    return parsed.data ?? [];
}
