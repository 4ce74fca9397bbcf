/**
 * `auth0-connection-wipes-deny-list` as a pure function. An `auth0.Connection` update sends only
 * the options the program wrote and Auth0 replaces `options` whole, so a Connection that declares
 * no entries wipes what a deny list of the stack wrote to it, unless that deny list's `triggers`
 * come from the Connection (then it re-applies its entries in the same update).
 */
import { describe, type Finding } from "./finding";
import { covers, targets } from "./reach";
import { readStack, type StackResource } from "./stack";

/** The page that explains the wipe and the `triggers` recipe (shipped in the package's docs/). */
const GUIDE = "docs/with-pulumi-auth0.md";

/** The findings of `auth0-connection-wipes-deny-list` on a stack's resources. */
export function wipedDenyListFindings(resources: StackResource[]): Finding[] {
    const stack = readStack(resources);
    return stack.connections.flatMap((connection) => {
        const { denied } = connection;
        // Empty is no better than absent: the update sends the empty list.
        const declaresNone = denied === "absent" || (denied.complete && denied.names.length === 0);
        const mayDeclareNone = !declaresNone && !denied.complete && denied.names.length === 0;
        if (!declaresNone && !mayDeclareNone) return [];
        const writers = [
            ...stack.connectionDenyLists.filter((list) => targets(list, connection, stack.connections) === "yes"),
            ...stack.tenantDenyLists.filter((list) => covers(list, connection) === "yes"),
        ];
        const unprotected = writers.filter((list) => !list.triggersFrom.includes(connection.resource.urn));
        return unprotected.map((list) => {
            const subject = describe(connection.resource);
            const writer = describe(list.resource);
            const premise = declaresNone
                ? `${subject} declares no options.nonPersistentAttrs, so its next update wipes`
                : `${subject} may declare no options.nonPersistentAttrs (not known until the update); then its next update wipes`;
            return {
                urn: connection.resource.urn,
                certain: declaresNone,
                message:
                    `${premise} the entries ${writer} wrote (Auth0 replaces options whole). Compute the ` +
                    `triggers of ${writer} from the Connection's outputs so it re-applies them in the same update (${GUIDE}).`,
            };
        });
    });
}
