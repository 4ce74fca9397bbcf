/**
 * Pulumi's secret signature on the wire. The plugin accepts secrets (Handshake, Configure), so the
 * engine sends a secret value as `{[SIGNATURE_KEY]: SECRET_SIGNATURE, value}` in Configure's args
 * and in resource inputs and state. Everything is revealed before it is checked or used, and an
 * output is concealed again when its input was secret, as the engine itself does for providers
 * that do not accept secrets (`annotateSecrets`, sdk/go/common/resource/plugin/provider_plugin.go).
 * Signatures: sdk/go/common/resource/sig/sig.go, pulumi/pulumi v3.248.0.
 */

/** The key that marks a value carrying one of Pulumi's signatures. */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret value. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** A property bag as the gRPC Struct carries it. */
export type Props = Record<string, unknown>;

/** A property bag with its secrets revealed, and the top-level keys that held one. */
export interface Revealed {
    values: Props;
    secretKeys: ReadonlySet<string>;
}

/** True for a value wrapped in the secret signature. */
export function isSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Props)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** `value` wrapped in the secret signature. */
export function secret(value: unknown): Props {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** The value with every secret wrapper at any depth removed. */
export function revealValue(value: unknown): unknown {
    if (isSecret(value)) return revealValue(value.value);
    if (Array.isArray(value)) return value.map(revealValue);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, revealValue(entry)]));
    }
    return value;
}

/** Reveals a property bag, remembering which top-level keys held a secret somewhere inside. */
export function reveal(props: Props | undefined): Revealed {
    const values: Props = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(props ?? {})) {
        values[key] = revealValue(value);
        if (containsSecret(value)) secretKeys.add(key);
    }
    return { values, secretKeys };
}

/** `props` with the value of every key in `keys` wrapped in the secret signature. */
export function conceal(props: Props, keys: Iterable<string>): Props {
    const concealed = { ...props };
    for (const key of keys) {
        if (key in concealed && !isSecret(concealed[key])) concealed[key] = secret(concealed[key]);
    }
    return concealed;
}

function containsSecret(value: unknown): boolean {
    if (isSecret(value)) return true;
    if (Array.isArray(value)) return value.some(containsSecret);
    if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
    return false;
}
