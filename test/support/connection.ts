/** What a connection in the emulator holds, as tests compare it: its deny list, and every other option. */
import type { Emulator } from "../../emulator";

/** The deny list of connection `id` as the emulator holds it; unset or `null` reads as empty. */
export function listOn(emulator: Emulator, id: string): string[] {
    return (emulator.connection(id)?.options?.non_persistent_attrs ?? []) as string[];
}

/** A connection's options without the deny list: what must never change. */
export function optionsWithoutDenyList(connection: { options?: Record<string, unknown> } | undefined): string {
    const { non_persistent_attrs: _ignored, ...rest } = connection?.options ?? {};
    return JSON.stringify(rest);
}
