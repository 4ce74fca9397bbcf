/**
 * The built-in tenant: one connection per common strategy, with the option shapes Auth0 returns
 * (see auth0-facts.md, "Option shapes by strategy"), including the settings a careless
 * full-options PATCH would destroy. Every secret is fake and listed in {@link SEED_SECRETS}.
 * `set_user_root_attributes` as Auth0 holds it (docs/stored-data.md): absent until changed
 * (auth0, oidc), `"on_each_login"` once toggled back (google-oauth2, samlp), `"on_first_login"`
 * (waad, which so keeps root-profile copies of whatever it comes to deny).
 */
import type { Connection } from "./types";

/** Ids of the built-in connections. */
export const SEED_IDS = {
    auth0: "con_DbUsers000000001",
    google: "con_Google0000000001",
    samlp: "con_Saml000000000001",
    waad: "con_Waad000000000001",
    oidc: "con_Oidc000000000001",
} as const;

const DB_API_KEY = "CkIKIFB7FAKEemulatorEncryptedApiKey0000000000000000EhBub3QtYS1yZWFsLW5vbmNlGgxmYWtl";
const DB_PASSWORD = "CkIKIFB7FAKEemulatorEncryptedDbPassword00000000000000EhBub3QtYS1yZWFsLW5vbmNlGgxmYWtl";
const GOOGLE_CLIENT_SECRET = "FAKE-SECRET-google-GOCSPX-emulator0000000000";
const SAML_SIGNING_KEY = fakePem("PRIVATE KEY", "FAKE-PRIVATE-KEY-saml-signing-emulator-0000000000000000");
const SAML_DECRYPTION_KEY = fakePem("PRIVATE KEY", "FAKE-PRIVATE-KEY-saml-decryption-emulator-00000000000000");
const WAAD_CLIENT_SECRET = "FAKE-SECRET-waad-emulator~0000000000000000000000";
const OIDC_CLIENT_SECRET = "FAKE-SECRET-oidc-emulator-00000000000000000000000";

/** Every secret value in the built-in seed, for tests that scan output for leaks. */
export const SEED_SECRETS: string[] = [
    DB_API_KEY,
    DB_PASSWORD,
    GOOGLE_CLIENT_SECRET,
    SAML_SIGNING_KEY,
    SAML_DECRYPTION_KEY,
    WAAD_CLIENT_SECRET,
    OIDC_CLIENT_SECRET,
];

const SPA_CLIENT = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
const API_CLIENT = "ZyXwVuTsRqPoNmLkJiHgFeDcBa543210";

const SAML_IDP_CERT = fakePem("CERTIFICATE", "FAKE-CERT-acme-idp-emulator-000000000000000000000000");
const SAML_SP_CERT = fakePem("CERTIFICATE", "FAKE-CERT-acme-sp-emulator-0000000000000000000000000");

const OIDC_ISSUER = "https://login.acme-oidc.example/";

const SEED: readonly Connection[] = [
    {
        id: SEED_IDS.auth0,
        options: {
            mfa: { active: true, return_enroll_settings: true },
            import_mode: false,
            customScripts: {
                login: "function login(email, password, callback) {\n  return callback(null, null);\n}\n",
                get_user: "function getByEmail(email, callback) {\n  return callback(null);\n}\n",
            },
            configuration: { API_KEY: DB_API_KEY, DB_PASSWORD },
            disable_signup: false,
            passwordPolicy: "good",
            passkey_options: {
                challenge_ui: "both",
                local_enrollment_enabled: true,
                progressive_enrollment_enabled: true,
            },
            strategy_version: 2,
            requires_username: false,
            password_history: { size: 5, enable: true },
            password_dictionary: { enable: true, dictionary: ["acme", "acme123"] },
            authentication_methods: {
                passkey: { enabled: false },
                password: { enabled: true },
                email_otp: { enabled: false },
                phone_otp: { enabled: false },
            },
            brute_force_protection: true,
            password_no_personal_info: { enable: true },
            password_complexity_options: { min_length: 12 },
            enabledDatabaseCustomization: true,
            disable_self_service_change_password: false,
            non_persistent_attrs: ["ethnicity", "gender"],
        },
        strategy: "auth0",
        name: "Username-Password-Authentication",
        is_domain_connection: false,
        realms: ["Username-Password-Authentication"],
        enabled_clients: [SPA_CLIENT, API_CLIENT],
        display_name: "Acme Customers",
        metadata: { owner: "identity-team", environment: "production" },
    },
    {
        id: SEED_IDS.google,
        options: {
            email: true,
            gmail: false,
            scope: ["email", "profile"],
            profile: true,
            youtube: false,
            client_id: "123456789012-emulatorfakeclient.apps.googleusercontent.com",
            client_secret: GOOGLE_CLIENT_SECRET,
            allowed_audiences: ["acme.example", "corp.acme.example"],
            set_user_root_attributes: "on_each_login",
        },
        strategy: "google-oauth2",
        name: "google-oauth2",
        is_domain_connection: false,
        realms: ["google-oauth2"],
        enabled_clients: [SPA_CLIENT],
        display_name: "Google",
        show_as_button: true,
        metadata: { owner: "identity-team" },
    },
    {
        id: SEED_IDS.samlp,
        options: {
            cert: SAML_IDP_CERT,
            debug: true,
            expires: "2031-01-01T00:00:00.000Z",
            subject: { commonName: "idp.acme.example" },
            fieldsMap: {
                email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                groups: "http://schemas.xmlsoap.org/claims/Group",
            },
            signingCert: Buffer.from(SAML_IDP_CERT).toString("base64"),
            signing_key: { cert: SAML_SP_CERT, key: SAML_SIGNING_KEY },
            decryptionKey: { cert: SAML_SP_CERT, key: SAML_DECRYPTION_KEY },
            thumbprints: ["9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"],
            idpinitiated: {
                enabled: true,
                client_id: SPA_CLIENT,
                client_protocol: "samlp",
                client_authorizequery: "response_type=code&scope=openid",
            },
            bindingMethod: "HTTP-POST",
            protocolBinding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
            signInEndpoint: "https://idp.acme.example/saml/sso",
            signOutEndpoint: "https://idp.acme.example/saml/slo",
            disableSignout: false,
            digestAlgorithm: "sha256",
            signatureAlgorithm: "rsa-sha256",
            domain_aliases: ["acme.example"],
            user_id_attribute: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
            cert_rollover_notification: "2030-12-02T00:00:00.000Z",
            strategy_version: 2,
            set_user_root_attributes: "on_each_login",
        },
        strategy: "samlp",
        name: "acme-saml",
        is_domain_connection: false,
        realms: ["acme-saml"],
        enabled_clients: [SPA_CLIENT, API_CLIENT],
        display_name: "Acme SSO (SAML)",
        show_as_button: true,
        metadata: { owner: "it-security", idp: "acme-adfs" },
        provisioning_ticket_url: "https://emulator.invalid/p/samlp/FAKE-TICKET",
    },
    {
        id: SEED_IDS.waad,
        options: {
            domain: "acme.onmicrosoft.com",
            tenant_domain: "acme.onmicrosoft.com",
            app_domain: "acme.eu.auth0.com",
            client_id: "8f3b2c1d-0000-4000-8000-00000000e001",
            client_secret: WAAD_CLIENT_SECRET,
            granted: true,
            tenantId: "5e1c7a2b-0000-4000-8000-00000000a001",
            thumbprints: ["1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5", "5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a2918"],
            cert_rollover_notification: "2030-11-15T00:00:00.000Z",
            waad_protocol: "openid-connect",
            identity_api: "microsoft-identity-platform-v2.0",
            api_enable_users: true,
            basic_profile: true,
            ext_groups: false,
            ext_profile: true,
            useCommonEndpoint: false,
            domain_aliases: ["acme.com"],
            userid_attribute: "oid",
            strategy_version: 2,
            non_persistent_attrs: null,
            set_user_root_attributes: "on_first_login",
        },
        strategy: "waad",
        name: "acme-azure-ad",
        is_domain_connection: false,
        realms: ["acme-azure-ad"],
        enabled_clients: [API_CLIENT],
        display_name: "Acme Azure AD",
        show_as_button: true,
        metadata: { owner: "it-security" },
        provisioning_ticket_url: "https://emulator.invalid/p/waad/FAKE-TICKET",
    },
    {
        id: SEED_IDS.oidc,
        options: {
            type: "back_channel",
            scope: "openid profile",
            issuer: OIDC_ISSUER,
            jwks_uri: `${OIDC_ISSUER}.well-known/jwks.json`,
            client_id: "acme-oidc-emulator-client",
            client_secret: OIDC_CLIENT_SECRET,
            discovery_url: `${OIDC_ISSUER}.well-known/openid-configuration`,
            token_endpoint: `${OIDC_ISSUER}oauth/token`,
            userinfo_endpoint: null,
            authorization_endpoint: `${OIDC_ISSUER}authorize`,
            oidc_metadata: {
                issuer: OIDC_ISSUER,
                jwks_uri: `${OIDC_ISSUER}.well-known/jwks.json`,
                token_endpoint: `${OIDC_ISSUER}oauth/token`,
                authorization_endpoint: `${OIDC_ISSUER}authorize`,
                response_types_supported: ["code"],
                id_token_signing_alg_values_supported: ["RS256"],
            },
            attribute_map: { mapping_mode: "bind_all" },
            connection_settings: { pkce: "auto" },
            domain_aliases: ["acme-oidc.example"],
            non_persistent_attrs: ["https://acme.com/temporary_idtoken"],
            x_future_option: { nested: [1, "two", null] },
        },
        strategy: "oidc",
        name: "acme-oidc",
        is_domain_connection: false,
        realms: ["acme-oidc"],
        enabled_clients: [SPA_CLIENT],
        display_name: "Acme Partner Login",
        show_as_button: false,
        metadata: { owner: "partner-team" },
    },
];

/** A fresh copy of the built-in connections. */
export function builtInSeed(): Connection[] {
    return structuredClone(SEED) as Connection[];
}

/** A PEM block whose body is an obviously fake marker, not key material. */
function fakePem(label: string, marker: string): string {
    const body = Buffer.from(marker).toString("base64");
    return `-----BEGIN ${label}-----\n${marker}\n${body}\n-----END ${label}-----\n`;
}
