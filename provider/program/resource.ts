/**
 * The typed front door: `new ConnectionDenyList(name, args)` in a Pulumi program. It carries no
 * logic beyond warnings that need the program's view (known values, other resources).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerFacade } from "./facade";
import { names, refusedFor, warnAbout, warnOnce } from "./notices";
import { registry } from "./registry";
import { attributeWarnings, caseWarnings, emptyExclusiveWarning } from "./warnings";

/** What every {@link ConnectionDenyList} declares, whichever way it names its connection. */
export interface DenyListDeclaration {
    /** Root profile fields or upstream IdP claim names Auth0 must not store. */
    attributes: pulumi.Input<pulumi.Input<string>[]>;
    /** When true the live list becomes exactly `attributes`; default false (merge). */
    exclusive?: pulumi.Input<boolean>;
    /**
     * Any change of this value re-reads the connection and re-applies `attributes` (an update,
     * never a replace; a PATCH only when an entry is missing). Feed it outputs of whatever else
     * writes the connection, e.g. an `auth0.Connection`, whose updates replace the deny list.
     * Stored in state as given: pass outputs or digests, not secrets.
     */
    triggers?: pulumi.Input<unknown[]>;
}

/**
 * Arguments of {@link ConnectionDenyList}: exactly one of `connectionId` or `connectionName`
 * (giving both, or neither, does not type-check).
 */
export type ConnectionDenyListArgs = DenyListDeclaration &
    (
        | {
              /** The connection's id (`con_…`). */
              connectionId: pulumi.Input<string>;
              connectionName?: never;
          }
        | {
              /** The connection's name, resolved in each stack's tenant: one program, many environments. */
              connectionName: pulumi.Input<string>;
              connectionId?: never;
          }
    );

/** The type token of {@link ConnectionDenyList}. */
const TYPE = "pulumi-nodejs:dynamic/auth0:ConnectionDenyList";

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
    /** The `triggers` value the list was last applied for. */
    declare readonly triggers: pulumi.Output<unknown[]>;
    /** The tenant (Management API URL) the list was written to. */
    declare readonly tenant: pulumi.Output<string>;
    /** Version of the state shape. */
    declare readonly schemaVersion: pulumi.Output<number>;

    /** Declares the deny list of one connection. */
    constructor(name: string, args: ConnectionDenyListArgs, opts?: pulumi.CustomResourceOptions) {
        const declaredBy = pulumi.createUrn(name, TYPE, opts?.parent);
        const self: { resource?: pulumi.Resource } = {};
        const registration = registry.add({ ...args, declaredBy });
        super(
            providerFacade,
            name,
            {
                connectionId: args.connectionId,
                connectionName: args.connectionName,
                attributes: args.attributes,
                exclusive: args.exclusive,
                triggers: args.triggers,
                declaredBy,
                connectionFrom: registration.connectionFrom,
                otherDeclarations: refusedFor(registration.otherDeclarations, self),
                strategy: undefined,
                ownedAttributes: undefined,
                tenant: undefined,
                schemaVersion: undefined,
            },
            opts,
            "auth0",
            "ConnectionDenyList",
        );
        self.resource = this;
        registry.bind(this, registration.declaration);
        warnAbout(this, registration.warnings);
        warnOnce(this, [args.attributes, args.exclusive], ([attributes, exclusive]) => {
            const list = names(attributes);
            return [
                ...attributeWarnings(list),
                ...caseWarnings(list),
                ...emptyExclusiveWarning(list, exclusive === true),
            ];
        });
    }
}
