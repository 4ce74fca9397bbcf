/**
 * What the policies read from a stack: the Auth0 connections and the deny lists, from each
 * resource's properties as the engine sends them to `AnalyzeStack` (its outputs; during preview
 * a value not known yet is Pulumi's unknown sentinel, or missing) and from the URNs each
 * property depends on.
 */
import { UNKNOWN } from "../provider/core/schema";

/** Type token of `auth0.Connection` (@pulumi/auth0). */
export const CONNECTION_TYPE = "auth0:index/connection:Connection";
/** Type token of this package's `ConnectionDenyList`. */
export const CONNECTION_DENY_LIST_TYPE = "pulumi-nodejs:dynamic/auth0:ConnectionDenyList";
/** Type token of this package's `TenantDenyList`. */
export const TENANT_DENY_LIST_TYPE = "pulumi-nodejs:dynamic/auth0:TenantDenyList";
/** The same two resources served by the provider plugin (Python, Go, .NET, Java, YAML programs). */
export const PLUGIN_TYPES = {
    connectionDenyList: "auth0-deny-list:index:ConnectionDenyList",
    tenantDenyList: "auth0-deny-list:index:TenantDenyList",
} as const;

/** One resource of the stack, with plain properties. */
export interface StackResource {
    type: string;
    /** The resource's name in the program. */
    name: string;
    urn: string;
    /** Properties as plain JSON; a value not known yet is {@link UNKNOWN} or missing. */
    props: Record<string, unknown>;
    /** For each property, the URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
}

/** A list of names as far as it is known. */
export interface NameList {
    /** The entries that are known. */
    names: string[];
    /** False when the list, or one of its entries, is not known yet. */
    complete: boolean;
}

/** An `auth0.Connection` of the stack. */
export interface Connection {
    resource: StackResource;
    /** The Auth0 connection name; undefined when not known. */
    name?: string;
    /** undefined when not known. */
    strategy?: string;
    /** Its own `options.nonPersistentAttrs`; `absent` when it has none. */
    denied: NameList | "absent";
}

/** A `ConnectionDenyList` of the stack. */
export interface ConnectionDenyList {
    resource: StackResource;
    attributes: NameList;
    /** The target's name; undefined when not known (or targeted by id during preview). */
    connectionName?: string;
    /** The target's strategy (an output); undefined when not known. */
    strategy?: string;
    /** URNs that `connectionId` was wired from. */
    connectionIdFrom: string[];
    /** URNs that `triggers` were computed from. */
    triggersFrom: string[];
}

/** A `TenantDenyList` of the stack. */
export interface TenantDenyList {
    resource: StackResource;
    attributes: NameList;
    /** Strategies it covers; `all` when it names none. */
    strategies: NameList | "all";
    /** Connection names it leaves alone. */
    excluded: NameList;
    /** URNs that `triggers` were computed from. */
    triggersFrom: string[];
}

/** The Auth0 resources of a stack. */
export interface Auth0Stack {
    connections: Connection[];
    connectionDenyLists: ConnectionDenyList[];
    tenantDenyLists: TenantDenyList[];
}

/** Picks the Auth0 resources out of a stack's resources. */
export function readStack(resources: StackResource[]): Auth0Stack {
    const ofType = (...types: string[]) => resources.filter((resource) => types.includes(resource.type));
    return {
        connections: ofType(CONNECTION_TYPE).map(readConnection),
        connectionDenyLists: ofType(CONNECTION_DENY_LIST_TYPE, PLUGIN_TYPES.connectionDenyList).map((resource) => ({
            resource,
            attributes: nameList(resource.props.attributes),
            connectionName: knownString(resource.props.connectionName),
            strategy: knownString(resource.props.strategy),
            connectionIdFrom: resource.propertyDependencies.connectionId ?? [],
            triggersFrom: resource.propertyDependencies.triggers ?? [],
        })),
        tenantDenyLists: ofType(TENANT_DENY_LIST_TYPE, PLUGIN_TYPES.tenantDenyList).map((resource) => ({
            resource,
            attributes: nameList(resource.props.attributes),
            strategies: resource.props.strategies === undefined ? "all" : nameList(resource.props.strategies),
            excluded:
                resource.props.excludeConnections === undefined
                    ? complete([])
                    : nameList(resource.props.excludeConnections),
            triggersFrom: resource.propertyDependencies.triggers ?? [],
        })),
    };
}

function readConnection(resource: StackResource): Connection {
    const { options } = resource.props;
    const connection = {
        resource,
        name: knownString(resource.props.name),
        strategy: knownString(resource.props.strategy),
    };
    if (options === UNKNOWN) return { ...connection, denied: nameList(UNKNOWN) };
    const denied = isObject(options) ? options.nonPersistentAttrs : undefined;
    // null is how Auth0 and the bridged provider say "no list".
    return { ...connection, denied: denied === undefined || denied === null ? "absent" : nameList(denied) };
}

function knownString(value: unknown): string | undefined {
    return typeof value === "string" && value !== UNKNOWN ? value : undefined;
}

// A list that is missing or unknown is an unknown list: outputs during preview may be either.
function nameList(value: unknown): NameList {
    if (!Array.isArray(value)) return { names: [], complete: false };
    const names = value.map(knownString).filter((name): name is string => name !== undefined);
    return { names, complete: names.length === value.length };
}

function complete(names: string[]): NameList {
    return { names, complete: true };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
