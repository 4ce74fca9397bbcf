// Fails the auth0-deny-list policy pack with policy-config.json (birthdate and gender required):
//   npm install && pulumi preview --policy-pack node_modules/pulumi-auth0-deny-list/policy-pack \
//       --policy-pack-config policy-config.json
// auth0-deny-list-required (mandatory): the ConnectionDenyList and the members connection lack
// gender, and the google connection denies nothing (at the first preview the engine does not know
// that connection's list yet, so that one says "may" until `pulumi up` has created it).
// auth0-connection-wipes-deny-list (advisory): the deny list has no triggers, so the next update of
// the members Connection wipes it.
import * as auth0 from "@pulumi/auth0";
import { ConnectionDenyList } from "pulumi-auth0-deny-list";

/** A social connection without a deny list. */
export const google = new auth0.Connection("google", {
    name: "google",
    strategy: "google-oauth2",
    options: { scopes: ["email", "profile"] },
});

/** A database connection that leaves its deny list to the ConnectionDenyList below. */
export const members = new auth0.Connection("members", {
    name: "members",
    strategy: "auth0",
    options: { passwordPolicy: "good" },
});

/** Denies birthdate only, and is not re-applied after an update of the Connection. */
export const membersDenyList = new ConnectionDenyList("members-deny-list", {
    connectionId: members.id,
    attributes: ["birthdate"],
});
