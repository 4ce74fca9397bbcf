// The stack's deny lists, in a function of their own: index.ts calls it for `pulumi up`, and the
// test calls it on a local tenant (test/deny-lists.test.ts).
import * as pulumi from "@pulumi/pulumi";
import { ConnectionDenyList, TenantDenyList } from "pulumi-auth0-deny-list";

/** Declares the deny lists; `auth0-deny-list-testing:membersConnection` names the members' database (default `members`). */
export function denyLists(): void {
    const config = new pulumi.Config();
    new ConnectionDenyList("members-deny-list", {
        connectionName: config.get("membersConnection") ?? "members",
        attributes: ["birthdate", "gender"],
    });
    // Every enterprise connection, those customers add later included.
    new TenantDenyList("no-national-ids", {
        attributes: ["national_id"],
        strategies: ["samlp", "oidc", "waad"],
    });
}
