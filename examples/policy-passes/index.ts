// Passes the auth0-deny-list policy pack with policy-config.json (birthdate and gender required):
//   npm install && pulumi preview --policy-pack node_modules/pulumi-auth0-deny-list/policy-pack \
//       --policy-pack-config policy-config.json
// One connection declares its deny list itself; a ConnectionDenyList writes the other's, and
// re-applies it after each update of that Connection.
import { createHash } from "node:crypto";
import * as auth0 from "@pulumi/auth0";
import { ConnectionDenyList } from "pulumi-auth0-deny-list";

/** A social connection that owns its deny list. */
export const google = new auth0.Connection("google", {
    name: "google",
    strategy: "google-oauth2",
    options: { scopes: ["email", "profile"], nonPersistentAttrs: ["birthdate", "gender"] },
});

/** A database connection that leaves its deny list to the ConnectionDenyList below. */
export const members = new auth0.Connection("members", {
    name: "members",
    strategy: "auth0",
    options: { passwordPolicy: "good" },
});

/** The members deny list; `triggers` from the Connection's options re-apply it after their update. */
export const membersDenyList = new ConnectionDenyList("members-deny-list", {
    connectionId: members.id,
    attributes: ["birthdate", "gender"],
    // A digest, not the options: they can hold secrets. examples/with-auth0-provider hashes every output.
    triggers: [members.options.apply((options) => createHash("sha256").update(JSON.stringify(options)).digest("hex"))],
});
