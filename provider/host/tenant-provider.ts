/**
 * The TenantDenyList dynamic provider: Pulumi's dynamic-provider calls on the one provider operation
 * (operation.ts) with the TenantDenyList kind (tenant-kind.ts).
 */
import { HostContext } from "./context";
import { DynamicDenyListProvider } from "./dynamic-adapter";
import type { ProviderOptions } from "./options";
import { tenantKind } from "./tenant-kind";

/** The TenantDenyList dynamic provider; shares its process's sessions, writer and ledger. */
export class TenantDenyListProvider extends DynamicDenyListProvider {
    /** A provider with its own host context (sessions, writer, ledger). */
    constructor(options?: ProviderOptions);
    /** @internal One sharing `host` with the process's other providers (shared.ts). */
    constructor(options: ProviderOptions, host: HostContext);
    constructor(options: ProviderOptions = {}, host?: HostContext) {
        super(tenantKind, host ?? new HostContext(options));
    }
}
