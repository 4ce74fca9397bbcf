// One program owns a connection through @pulumi/auth0 and its deny list through this package.
// Every update of an auth0.Connection sends only the options written here and Auth0 replaces
// `options` whole, so each such update wipes the deny list. `triggers` fed from the Connection's
// outputs orders the deny list after the Connection and re-applies it whenever the Connection
// changed, in the same `pulumi up` (a GET, and a PATCH only when an entry is missing).
import { createHash } from "node:crypto";
import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { ConnectionDenyList } from "pulumi-auth0-deny-list";

const config = new pulumi.Config();

/** The database connection, owned by @pulumi/auth0. */
export const connection = new auth0.Connection("members", {
    name: "members",
    strategy: "auth0",
    options: {
        passwordPolicy: config.get("passwordPolicy") ?? "good",
        bruteForceProtection: true,
        disableSignup: false,
        // No nonPersistentAttrs: the ConnectionDenyList below owns the deny list. Setting both
        // would make the two providers fight over it.
    },
});

// Everything an update of the Connection writes. Its digest changes whenever such an update
// happened; the digest (not the options, which may hold secrets) is what lands in state.
const written = pulumi
    .all([
        connection.displayName,
        connection.options,
        connection.metadata,
        connection.realms,
        connection.isDomainConnection,
        connection.showAsButton,
    ])
    .apply((values) => createHash("sha256").update(JSON.stringify(values, sortedKeys)).digest("hex"));

/** The deny list, re-applied after every update of the Connection. */
export const denyList = new ConnectionDenyList("members-deny-list", {
    connectionId: connection.id,
    attributes: ["birthdate", "gender"],
    triggers: [written],
});

/** The entries live on the connection after this update. */
export const denied = denyList.attributes;

// Outputs that crossed the engine need not keep their key order: hash a canonical form.
function sortedKeys(_key: string, value: unknown): unknown {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
