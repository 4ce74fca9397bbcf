/**
 * Pulumi's dynamic-provider interface over the one provider operation: the same seven calls for
 * both resource kinds. A partial failure becomes the error shape the dynamic-provider host turns
 * into the engine's "resource initialization failed" (state kept, reasons shown).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { HostContext } from "./context";
import {
    type CommonInputs,
    type CommonState,
    DenyListOperations,
    PartialFailure,
    type ResourceKind,
} from "./operation";

/** A dynamic provider of one deny-list resource kind: each call is one provider operation. */
export class DynamicDenyListProvider implements pulumi.dynamic.ResourceProvider {
    private readonly operations: DenyListOperations;
    // biome-ignore lint/suspicious/noExplicitAny: each subclass fixes the kind; its types stay out of the published declarations
    private readonly kind: ResourceKind<any, any>;
    private readonly host: HostContext;

    /** @internal */
    constructor(kind: ResourceKind<CommonInputs, CommonState>, host: HostContext) {
        this.kind = kind;
        this.host = host;
        this.operations = new DenyListOperations(host);
    }

    /** Reads `auth0:*` stack config (values only; nothing is kept beyond this process). */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.host.configure(req);
    }

    /** Validates inputs offline; bad input becomes failures, never an exception. */
    async check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        return this.kind.check(news ?? {});
    }

    /** Diffs offline; a resource written to another tenant than the stack's fails here, before any request. */
    diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
        return this.operations.diff(this.kind, id, olds, news);
    }

    /** Writes the declared attributes to every connection the inputs reach. */
    create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        return partial(inputs, this.operations.create(this.kind, inputs));
    }

    /** Reports what is live; a connection Auth0 says does not exist is gone. */
    async read(id: string, props: Record<string, unknown> = {}): Promise<pulumi.dynamic.ReadResult> {
        const observed = await this.operations.read(this.kind, id, props);
        return observed ? { id, props: observed } : { id: "", props: {} };
    }

    /** Writes what changed; removes dropped entries it owns, unless another resource declares them. */
    async update(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: await partial(news, this.operations.update(this.kind, id, olds, news)) };
    }

    /** Removes what the resource owns, except entries another resource declares. */
    delete(id: string, props: Record<string, unknown>): Promise<void> {
        return this.operations.delete(this.kind, id, props);
    }
}

// The dynamic-provider host keeps a failed write's state when the error carries `id`,
// `properties` (with the serialized provider, so later operations can run) and `reasons`.
async function partial<T>(raw: Record<string, unknown>, work: Promise<T>): Promise<T> {
    try {
        return await work;
    } catch (error) {
        if (!(error instanceof PartialFailure)) throw error;
        const properties = { ...error.properties, __provider: raw.__provider };
        throw Object.assign(new Error(error.message), { id: error.id, properties, reasons: error.reasons });
    }
}
