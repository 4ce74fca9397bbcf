// One program for every environment: each stack's config (Pulumi.<stack>.yaml) names the tenant,
// the connections (by name, so ids may differ per tenant) and the attributes to deny.
import * as pulumi from "@pulumi/pulumi";
import { ConnectionDenyList } from "pulumi-auth0-deny-list";

const config = new pulumi.Config();
// connection name → attributes Auth0 must not store on that connection.
const denyLists = config.requireObject<Record<string, string[]>>("denyLists");
// Where every environment must agree (a legal requirement, say), declare it once here.
const everywhere = config.getObject<string[]>("denyEverywhere") ?? [];

const resources = Object.entries(denyLists).map(
    ([connectionName, attributes]) =>
        new ConnectionDenyList(`deny-${connectionName}`, {
            connectionName,
            attributes: [...everywhere, ...attributes],
        }),
);

/** What each connection's list looks like after the update, for `pulumi stack output`. */
export const lists = Object.fromEntries(
    resources.map((resource, index) => [Object.keys(denyLists)[index], resource.attributes]),
);
