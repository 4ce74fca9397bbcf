/**
 * How a test serves the deny lists, in this process: through the dynamic providers (each resource
 * carries the program's view of the others, the program stops on a conflict it can see) or
 * through the provider plugin's logic (a plugin sees no program). One new provider host context
 * per command, as the CLI starts a new host per command. What a program declares is built here as
 * the program side would (provider/program/registry.ts), for plain values.
 */

import { PLUGIN_TYPES, PluginInProcessHost } from "../../harness/plugin-in-process";
import { type Declaration, known, type Reach } from "../../provider/core/declaration";
import { normalise } from "../../provider/core/denylist";
import { groupDeclarations, viewOf } from "../../provider/core/view";
import type { ConnectionDenyListArgs, TenantDenyListArgs } from "../../provider/index";
import { programFindings } from "../../provider/program/registry";
import type { Declared, EngineHost } from "../../testing/engine";
import { InProcessHost } from "../../testing/in-process-host";

/** A program's deny lists by name: a ConnectionDenyList's args, or `{ tenant: args }` for a TenantDenyList (plain values). */
export type Resources = Record<string, ConnectionDenyListArgs | { tenant: TenantDenyListArgs }>;

/** How the resources are served. */
export interface Driver {
    name: string;
    types: { connection: string; tenant: string };
    /** A new provider host for one command. */
    host(log: (line: string) => void): EngineHost;
    /** Whether a resource carries the program's view of the others. */
    programView: boolean;
}

// Short gathering windows: thousands of commands, none spread out by a loaded engine.
const GATHERING = { maxMs: 4, quietMs: 1, maxQuietMs: 4 };

/** The two dynamic providers, in one provider host context per command. */
export const DYNAMIC: Driver = {
    name: "dynamic providers",
    types: {
        connection: "pulumi-nodejs:dynamic/auth0:ConnectionDenyList",
        tenant: "pulumi-nodejs:dynamic/auth0:TenantDenyList",
    },
    host: (log) => new InProcessHost(log, { gathering: GATHERING }),
    programView: true,
};

/** The provider plugin's logic, one per command. */
export const PLUGIN: Driver = {
    name: "provider plugin",
    types: PLUGIN_TYPES,
    host: (log) => new PluginInProcessHost(log),
    programView: false,
};

/** The URN of the resource `name` of `kind`. */
export function urnOf(driver: Driver, kind: "connection" | "tenant", name: string): string {
    return `urn:pulumi:dev::auth0-deny-list::${driver.types[kind]}::${name}`;
}

/**
 * What the program registers for `resources`: each resource's inputs, with (dynamic providers)
 * its view of the others. A program with an exclusive list beside another on one connection stops
 * before registering anything, as the real program does. `aliases` gives a resource's earlier names.
 */
export function declare(driver: Driver, resources: Resources, aliases: Record<string, string[]> = {}): Declared[] {
    const entries = Object.entries(resources);
    const declarations = entries.map(([name, args]) => declarationOf(driver, name, args));
    const groups = groupDeclarations(declarations);
    const byUrn = new Map(declarations.map((d) => [d.by, d]));
    const errors = declarations.flatMap((d) => programFindings(d, byUrn, groups).errors);
    if (driver.programView && errors.length > 0) throw new Error(`the program stops: ${errors[0]}`);
    return entries.map(([name, args], index) => {
        const kind = "tenant" in args ? "tenant" : "connection";
        const urn = urnOf(driver, kind, name);
        const inputs = { ...("tenant" in args ? args.tenant : args) } as Record<string, unknown>;
        for (const [key, value] of Object.entries(inputs)) if (value === undefined) delete inputs[key];
        const view = JSON.stringify(viewOf(declarations[index], groups));
        return {
            urn,
            type: driver.types[kind],
            name,
            inputs: driver.programView ? { ...inputs, declaredBy: urn, otherDeclarations: view } : inputs,
            propertyDependencies: {},
            ...(aliases[name] ? { aliases: aliases[name].map((old) => urnOf(driver, kind, old)) } : {}),
        };
    });
}

function declarationOf(driver: Driver, name: string, args: Resources[string]): Declaration {
    if ("tenant" in args) {
        const { attributes, strategies, excludeConnections } = args.tenant as {
            attributes: string[];
            strategies?: string[];
            excludeConnections?: string[];
        };
        const reach: Reach = {
            kind: "tenant",
            ...(strategies ? { strategies: known(strategies) } : {}),
            excluded: known(excludeConnections ?? []),
        };
        return { by: urnOf(driver, "tenant", name), reach, attributes: known(normalise(attributes)), exclusive: false };
    }
    const { connectionId, connectionName, attributes, exclusive } = args as {
        connectionId?: string;
        connectionName?: string;
        attributes: string[];
        exclusive?: boolean;
    };
    const reach: Reach = {
        kind: "connection",
        ...(connectionId !== undefined ? { id: connectionId } : {}),
        ...(connectionName !== undefined ? { name: connectionName } : {}),
    };
    return {
        by: urnOf(driver, "connection", name),
        reach,
        attributes: known(normalise(attributes)),
        exclusive: exclusive ?? false,
    };
}
