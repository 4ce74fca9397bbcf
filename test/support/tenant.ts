/**
 * A provider wired to a fresh emulator, with captured log lines and request counting: the
 * common setup of the integration tests.
 */

import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { envFor } from "../../harness/credentials";
import { ConnectionDenyListProvider, type ProviderOptions, TenantDenyListProvider } from "../../provider";
import { HostContext } from "../../provider/host/context";

/** An emulator, a provider pointed at it, and what the provider logged. */
export interface Tenant {
    emulator: Emulator;
    provider: ConnectionDenyListProvider;
    /** A TenantDenyList provider in the same provider process (shared writer and ledger). */
    tenantProvider: TenantDenyListProvider;
    log: string[];
    /** Requests the emulator received, excluding `/oauth/token`, as "METHOD path". */
    apiCalls(): string[];
    /** `/oauth/token` requests received. */
    tokenCalls(): number;
}

/** Starts an emulator and a provider on it. Call `emulator.stop()` when done. */
export async function startTenant(
    options: EmulatorOptions = {},
    providerOptions: ProviderOptions = {},
    env: Record<string, string> = {},
): Promise<Tenant> {
    const emulator = await startEmulator(options);
    const log: string[] = [];
    const host = new HostContext({ env: envFor(emulator, env), log: (line) => log.push(line), ...providerOptions });
    const provider = new ConnectionDenyListProvider({}, host);
    const requests = () => emulator.requests();
    return {
        emulator,
        provider,
        tenantProvider: new TenantDenyListProvider({}, host),
        log,
        apiCalls: () =>
            requests()
                .filter((r) => r.path !== "/oauth/token")
                .map((r) => `${r.method} ${r.path}`),
        tokenCalls: () => requests().filter((r) => r.path === "/oauth/token").length,
    };
}
