/**
 * The typed front door of a tenant-wide deny list: `new TenantDenyList(name, args)` in a Pulumi
 * program. It carries no logic beyond warnings that need the program's view.
 */
import * as pulumi from "@pulumi/pulumi";
import { tenantProviderFacade } from "./facade";
import { names, refusedFor, warnAbout, warnOnce } from "./notices";
import { registry } from "./registry";
import { attributeWarnings, caseWarnings } from "./warnings";

/** Arguments of {@link TenantDenyList}. */
export interface TenantDenyListArgs {
    /** Root profile fields or upstream IdP claim names Auth0 must not store, on every covered connection. */
    attributes: pulumi.Input<pulumi.Input<string>[]>;
    /** Cover only connections of these strategies (e.g. `samlp`, `oidc`, `waad`); default: every strategy. */
    strategies?: pulumi.Input<pulumi.Input<string>[]>;
    /** Connection names left alone; a name no connection has is reported as a warning. */
    excludeConnections?: pulumi.Input<pulumi.Input<string>[]>;
    /** Any change of this value re-lists the tenant and re-applies the list (an update). */
    triggers?: pulumi.Input<unknown[]>;
}

/** One covered connection in a TenantDenyList's outputs. */
export interface CoveredConnectionOutput {
    id: string;
    name: string;
    /** Entries this resource wrote there: the only ones its delete removes. */
    owned: string[];
    /** After a refresh: declared entries the connection lacks, which the next `pulumi up` writes. */
    lacking?: string[];
}

const TYPE = "pulumi-nodejs:dynamic/auth0:TenantDenyList";

/**
 * One deny list for every connection of the tenant (or of `strategies`, minus
 * `excludeConnections`), including connections created later by customers or other tools: a
 * refresh finds them, and the next `pulumi up` writes them. Merge mode only; every other
 * setting of each connection is left exactly as it was.
 */
export class TenantDenyList extends pulumi.dynamic.Resource {
    /** Declared attributes, de-duplicated and sorted. */
    declare readonly attributes: pulumi.Output<string[]>;
    /** The strategies covered; undefined for every strategy. */
    declare readonly strategies: pulumi.Output<string[] | undefined>;
    /** Connection names left alone. */
    declare readonly excludeConnections: pulumi.Output<string[]>;
    /** The `triggers` value the list was last applied for. */
    declare readonly triggers: pulumi.Output<unknown[]>;
    /** The tenant (Management API URL) the list was written to. */
    declare readonly tenant: pulumi.Output<string>;
    /** Per covered connection: its id, name, the entries this resource wrote, and after a refresh what it lacks. */
    declare readonly connections: pulumi.Output<CoveredConnectionOutput[]>;
    /** Version of the state shape. */
    declare readonly schemaVersion: pulumi.Output<number>;

    /** Declares a tenant-wide deny list. */
    constructor(name: string, args: TenantDenyListArgs, opts?: pulumi.CustomResourceOptions) {
        const declaredBy = pulumi.createUrn(name, TYPE, opts?.parent);
        const self: { resource?: pulumi.Resource } = {};
        const registration = registry.add({ ...args, tenantWide: true, declaredBy });
        super(
            tenantProviderFacade,
            name,
            {
                attributes: args.attributes,
                strategies: args.strategies,
                excludeConnections: args.excludeConnections,
                triggers: args.triggers,
                declaredBy,
                otherDeclarations: refusedFor(registration.otherDeclarations, self),
                tenant: undefined,
                connections: undefined,
                schemaVersion: undefined,
            },
            opts,
            "auth0",
            "TenantDenyList",
        );
        self.resource = this;
        registry.bind(this, registration.declaration);
        warnAbout(this, registration.warnings);
        warnOnce(this, [args.attributes], ([attributes]) => {
            const list = names(attributes);
            return [...attributeWarnings(list), ...caseWarnings(list)];
        });
    }
}
