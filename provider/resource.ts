/**
 * The typed front door: `new ConnectionDenyList(name, args)` in a Pulumi program. It carries no
 * logic beyond warnings that need the program's view (known values, other resources).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerFacade } from "./facade";
import { attributeWarnings, DeclarationRegistry } from "./warnings";

/** Arguments of {@link ConnectionDenyList}. Give exactly one of `connectionId` or `connectionName`. */
export interface ConnectionDenyListArgs {
    /** The connection's id (`con_…`). */
    connectionId?: pulumi.Input<string>;
    /** The connection's name, resolved in each stack's tenant: one program, many environments. */
    connectionName?: pulumi.Input<string>;
    /** Root profile fields or upstream IdP claim names Auth0 must not store. */
    attributes: pulumi.Input<pulumi.Input<string>[]>;
    /** When true the live list becomes exactly `attributes`; default false (merge). */
    exclusive?: pulumi.Input<boolean>;
}

// One program declares all its resources in one process: that is where duplicates are visible.
const declarations = new DeclarationRegistry();

/** The deny list (`options.non_persistent_attrs`) of one Auth0 connection, managed without touching any other setting. */
export class ConnectionDenyList extends pulumi.dynamic.Resource {
    /** The target connection's id (also the resource id). */
    declare readonly connectionId: pulumi.Output<string>;
    /** The target connection's name. */
    declare readonly connectionName: pulumi.Output<string>;
    /** The connection's strategy, e.g. `auth0`, `samlp`. */
    declare readonly strategy: pulumi.Output<string>;
    /** Declared attributes, de-duplicated and sorted; after a refresh, those still live. */
    declare readonly attributes: pulumi.Output<string[]>;
    /** Whether the resource owns the whole list. */
    declare readonly exclusive: pulumi.Output<boolean>;
    /** Entries this resource wrote, and the only ones its delete removes in merge mode. */
    declare readonly ownedAttributes: pulumi.Output<string[]>;
    /** Version of the state shape. */
    declare readonly schemaVersion: pulumi.Output<number>;

    /** Declares the deny list of one connection. */
    constructor(name: string, args: ConnectionDenyListArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            providerFacade,
            name,
            {
                connectionId: args.connectionId,
                connectionName: args.connectionName,
                attributes: args.attributes,
                exclusive: args.exclusive,
                strategy: undefined,
                ownedAttributes: undefined,
                schemaVersion: undefined,
            },
            opts,
            "auth0",
            "ConnectionDenyList",
        );
        pulumi
            .all([args.connectionId, args.connectionName, args.attributes])
            .apply(([id, connectionName, attributes]) => {
                const list = (attributes ?? []).filter((entry): entry is string => typeof entry === "string");
                const warnings = [
                    ...attributeWarnings(list),
                    ...declarations.declare(name, id ?? `name:${connectionName}`, list),
                ];
                for (const warning of warnings) pulumi.log.warn(warning, this);
            });
    }
}
