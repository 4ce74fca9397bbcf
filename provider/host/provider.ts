/**
 * The ConnectionDenyList dynamic provider: Pulumi's dynamic-provider calls on the one provider operation
 * (operation.ts) with the ConnectionDenyList kind (connection-kind.ts).
 */

import { connectionKind } from "./connection-kind";
import { HostContext } from "./context";
import { DynamicDenyListProvider } from "./dynamic-adapter";
import type { ProviderOptions } from "./options";

/** The ConnectionDenyList dynamic provider. */
export class ConnectionDenyListProvider extends DynamicDenyListProvider {
    /** A provider with its own host context (sessions, writer, ledger). */
    constructor(options?: ProviderOptions);
    /** @internal One sharing `host` with the process's other providers (shared.ts). */
    constructor(options: ProviderOptions, host: HostContext);
    constructor(options: ProviderOptions = {}, host?: HostContext) {
        super(connectionKind, host ?? new HostContext(options));
    }
}
