/**
 * The provider's own settings: `domain`, `clientId`, `clientSecret`, `apiToken`. Where the engine
 * puts them (pulumi/pulumi v3.248.0):
 *
 * - A provider resource's inputs: an explicit provider's arguments, or for the default provider
 *   the stack config of this package (`Target.GetPackageConfig`, pkg/resource/deploy/target.go,
 *   made the default provider's inputs in default_providers.go). They reach CheckConfig and
 *   DiffConfig in plaintext and Configure's `args` with secrets wrapped
 *   (sdk/go/common/resource/plugin/provider_plugin.go), and the deprecated `variables` map as
 *   `auth0-deny-list:config:<key>`.
 * - The stack config of this package also reaches every provider process of it as the
 *   `PULUMI_CONFIG` environment variable: JSON, keys without the prefix, decrypted
 *   (pkg/host/host.go `Provider`; provider_plugin.go `NewProvider`).
 *
 * `auth0:*` keys never reach a plugin: the engine gives a plugin its own package's config only.
 * One source is used whole (provider/auth0/credentials.ts): the provider's inputs, else (for the
 * default provider only) `PULUMI_CONFIG`, else `AUTH0_*`. Nothing here is ever written to an
 * output or a log.
 */
import {
    type ConfigNaming,
    type ConfigValues,
    CredentialSettingError,
    type Credentials,
    type Field,
    resolveCredentials,
} from "../provider/auth0/credentials";
import { UNKNOWN } from "../provider/core/schema";
import { PACKAGE_NAME } from "./schema";
import { conceal, type Props, revealValue } from "./secrets";

/** The settings, in the order the schema lists them. */
export const SETTINGS: readonly Field[] = ["domain", "clientId", "clientSecret", "apiToken"];
const SECRET_SETTINGS: readonly Field[] = ["clientSecret", "apiToken"];

/** How messages name the settings: `pulumi config set auth0-deny-list:…`, or the provider's argument. */
export const PLUGIN_CONFIG: ConfigNaming = {
    keys: {
        domain: `${PACKAGE_NAME}:domain`,
        clientId: `${PACKAGE_NAME}:clientId`,
        clientSecret: `${PACKAGE_NAME}:clientSecret`,
        apiToken: `${PACKAGE_NAME}:apiToken`,
    },
    alternative: (field) => `or the provider's \`${field}\` argument`,
};

/** A setting the engine rejected, for CheckConfig. */
export interface SettingFailure {
    property: string;
    reason: string;
}

/**
 * CheckConfig: offline. A setting that is not a string, a domain that cannot be a tenant's address,
 * incomplete credentials, or a key that differs from a setting only in case fails, naming the fix.
 * Other keys pass untouched: the engine adds its own (`version` …) and a project named like this
 * package puts its config in the same namespace. The secret settings come back wrapped as secrets,
 * so the provider's inputs in state are encrypted even when they were set in plaintext.
 */
export function checkConfig(news: Props): { inputs: Props; failures: SettingFailure[] } {
    const settings = revealValue(news) as Props;
    const failures: SettingFailure[] = [];
    for (const [key, value] of Object.entries(settings)) {
        const setting = SETTINGS.find((field) => field.toLowerCase() === key.toLowerCase());
        if (setting && setting !== key) {
            failures.push({ property: key, reason: `${key} is not a setting of this provider: write ${setting}` });
        } else if (setting && value !== undefined && value !== null && typeof value !== "string") {
            failures.push({ property: key, reason: `${key} must be a string` });
        }
    }
    const unknown = SETTINGS.some((field) => settings[field] === UNKNOWN);
    const config = configValues(settings);
    if (failures.length === 0 && !unknown && Object.keys(config).length > 0) {
        try {
            resolveCredentials(config, {}, PLUGIN_CONFIG);
        } catch (error) {
            if (!(error instanceof CredentialSettingError)) throw error;
            failures.push({ property: error.field, reason: error.message });
        }
    }
    return { inputs: conceal(news, SECRET_SETTINGS), failures };
}

/**
 * DiffConfig: which settings changed. Never a replace: a provider pointed at another tenant
 * makes each resource's diff fail, naming both tenants and the way out (the host context's
 * tenant check), as with the dynamic provider.
 */
export function diffConfig(olds: Props, news: Props): string[] {
    const before = revealValue(olds) as Props;
    const after = revealValue(news) as Props;
    return SETTINGS.filter((field) => after[field] === UNKNOWN || before[field] !== after[field]);
}

/** What Configure received: its `args`, the deprecated `variables`, and the provider's name. */
export interface ConfigureInput {
    args?: Props;
    variables?: ReadonlyMap<string, string>;
    name?: string;
}

/**
 * The credentials a Configure call points the provider at, or a {@link CredentialSettingError}
 * naming the setting to fix. `env` supplies `PULUMI_CONFIG` and `AUTH0_*`.
 */
export function configuredCredentials(request: ConfigureInput, env: NodeJS.ProcessEnv): Credentials {
    let config = configValues(request.args ? (revealValue(request.args) as Props) : fromVariables(request.variables));
    if (Object.keys(config).length === 0 && isDefaultProvider(request.name)) {
        config = configValues(stackConfig(env));
    }
    return resolveCredentials(config, env, PLUGIN_CONFIG);
}

// The settings as credentials.ts reads them: string values keyed `auth0-deny-list:<setting>`.
function configValues(settings: Props): ConfigValues {
    const values: Record<string, string> = {};
    for (const field of SETTINGS) {
        const value = settings[field];
        if (typeof value === "string" && value !== UNKNOWN) values[PLUGIN_CONFIG.keys[field]] = value;
    }
    return values;
}

// An engine that sends no `args` (older ones) sends `variables` keyed `<package>:config:<key>`.
function fromVariables(variables: ReadonlyMap<string, string> | undefined): Props {
    const settings: Props = {};
    for (const [key, value] of variables ?? []) {
        const [pkg, middle, field] = key.split(":");
        if (pkg === PACKAGE_NAME && middle === "config" && field) settings[field] = value;
    }
    return settings;
}

// The engine names a default provider `default`, or `default_<major>_<minor>_<patch>…` for a
// version (ProviderRequest.DefaultName, pkg/resource/deploy/providers/provider.go). An older engine
// sends no name. An explicit provider never falls back to the stack config: it is not its config.
function isDefaultProvider(name: string | undefined): boolean {
    return name === undefined || name === "" || name === "default" || name.startsWith("default_");
}

// PULUMI_CONFIG is written by the engine; anything unreadable counts as no stack config.
function stackConfig(env: NodeJS.ProcessEnv): Props {
    try {
        const parsed: unknown = JSON.parse(env.PULUMI_CONFIG ?? "{}");
        return typeof parsed === "object" && parsed !== null ? (parsed as Props) : {};
    } catch {
        return {};
    }
}
