/**
 * Stack resources for the policy tests, shaped as the engine describes them to `AnalyzeStack`:
 * type, name, URN, properties (outputs; unknown values are Pulumi's sentinel) and the URNs each
 * property was computed from.
 */
import { CONNECTION_DENY_LIST_TYPE, CONNECTION_TYPE, type StackResource, TENANT_DENY_LIST_TYPE } from "../../policy";
import { UNKNOWN } from "../../provider/core/schema";

export { UNKNOWN };

function resource(type: string, name: string, props: Record<string, unknown>, dependencies = {}): StackResource {
    return { type, name, urn: `urn:pulumi:dev::app::${type}::${name}`, props, propertyDependencies: dependencies };
}

/** An `auth0.Connection` whose Auth0 name is its resource name. */
export function connection(
    name: string,
    strategy: string,
    options: Record<string, unknown> | string = {},
): StackResource {
    return resource(CONNECTION_TYPE, name, { name, strategy, options });
}

type Props = Record<string, unknown>;

/** A `ConnectionDenyList`; `dependencies` maps a property to the URNs it was computed from. */
export const connectionDenyList = (name: string, props: Props, dependencies: Record<string, string[]> = {}) =>
    resource(CONNECTION_DENY_LIST_TYPE, name, props, dependencies);

/** A `TenantDenyList`; `dependencies` maps a property to the URNs it was computed from. */
export const tenantDenyList = (name: string, props: Props, dependencies: Record<string, string[]> = {}) =>
    resource(TENANT_DENY_LIST_TYPE, name, props, dependencies);

/** A `ConnectionDenyList` whose `connectionId` (and, if asked, `triggers`) came from `target`. */
export function wiredDenyList(
    name: string,
    target: StackResource,
    attributes: unknown,
    withTriggers = false,
): StackResource {
    const props = { connectionId: UNKNOWN, attributes, ...(withTriggers ? { triggers: [UNKNOWN] } : {}) };
    const from = [target.urn];
    return connectionDenyList(
        name,
        props,
        withTriggers ? { connectionId: from, triggers: from } : { connectionId: from },
    );
}

/** Mistakes a privacy team could make in the policy's config, each with what the rejection says. */
export const BAD_CONFIGS: [config: Record<string, unknown>, problem: RegExp][] = [
    [{}, /expected array, received undefined\s+→ at attributes/],
    [{ attributes: "ssn" }, /expected array, received string\s+→ at attributes/],
    [{ attributes: [] }, /expected array to have >=1 items\s+→ at attributes/],
    [{ attributes: [""] }, /expected string to have >=1 characters\s+→ at attributes\[0\]/],
    [{ attributes: ["ssn", 7] }, /expected string, received number\s+→ at attributes\[1\]/],
    [{ attributes: ["ssn"], strategies: "samlp" }, /expected array, received string\s+→ at strategies/],
];
