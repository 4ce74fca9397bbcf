"""One program for every environment: each stack's config (Pulumi.<stack>.yaml) names the tenant,
the connections (by name, so ids may differ per tenant) and the attributes to deny."""

import pulumi
import pulumi_auth0_deny_list as deny_list

config = pulumi.Config()
# connection name -> attributes Auth0 must not store on that connection.
deny_lists: dict[str, list[str]] = config.require_object("denyLists")
# Where every environment must agree (a legal requirement, say), declare it once here.
everywhere: list[str] = config.get_object("denyEverywhere") or []

lists = {
    name: deny_list.ConnectionDenyList(
        f"deny-{name}",
        connection_name=name,
        attributes=[*everywhere, *attributes],
    )
    for name, attributes in deny_lists.items()
}

# Every enterprise connection of the tenant, including those customers create later.
baseline = deny_list.TenantDenyList(
    "enterprise-baseline",
    attributes=["national_id"],
    strategies=config.get_object("enterpriseStrategies") or ["samlp", "oidc", "waad"],
)

pulumi.export("lists", {name: resource.attributes for name, resource in lists.items()})
pulumi.export("covered", baseline.connections.apply(lambda connections: [c.name for c in connections]))
