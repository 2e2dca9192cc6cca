"""Who may call the API: a Cognito user pool whose ID tokens carry a person's tenant and roles, and app
clients for the tenants' systems (a learning portal), which get access tokens by client credentials."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.nag import acknowledge
from services.shared.wiring import COMPLETIONS_SCOPE

TENANT_ATTRIBUTE = "tenant_id"
ROLES_ATTRIBUTE = "roles"


@dataclass(frozen=True)
class IntegrationSpec:
    """A system of one tenant's (context `integrations`: [{"tenant": ..., "name": ...}])."""

    tenant: str
    name: str


class UserDirectory(Construct):
    def __init__(self, scope: Construct, id: str, *, integrations: tuple[IntegrationSpec, ...] = ()) -> None:
        super().__init__(scope, id)
        self.user_pool = cognito.UserPool(
            self,
            "Pool",
            user_pool_name="ledarlyft",
            # Administrators create people in their tenant; nobody signs themselves up.
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            custom_attributes={
                # Set once, at creation: a person never moves between tenants.
                TENANT_ATTRIBUTE: cognito.StringAttribute(min_len=1, max_len=64, mutable=False),
                ROLES_ATTRIBUTE: cognito.StringAttribute(min_len=0, max_len=256, mutable=True),
            },
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            # Threat protection (compromised credentials, risky sign-ins) needs the Plus plan.
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG2",
            "MFA is optional by product decision: people in care work sign in from shared devices without "
            "phones at hand; threat protection blocks risky sign-ins and TOTP is offered to all.",
        )
        self.client = self.user_pool.add_client(
            "WebClient",
            # SRP sign-in from the app itself; no hosted UI, so no OAuth flows (and no implicit grant).
            auth_flows=cognito.AuthFlow(user_srp=True),
            disable_o_auth=True,
            generate_secret=False,  # a browser app cannot keep a secret
            prevent_user_existence_errors=True,
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
            # People may change their own name and email, never their tenant or their roles.
            write_attributes=cognito.ClientAttributes().with_standard_attributes(
                email=True, given_name=True, family_name=True, locale=True, timezone=True
            ),
        )
        # Systems: the client-credentials grant needs the pool's token endpoint (a domain) and a scope.
        self.domain = self.user_pool.add_domain(
            "Domain", cognito_domain=cognito.CognitoDomainOptions(domain_prefix=f"ledarlyft-{Aws.ACCOUNT_ID}")
        )
        resource_server, _, scope_name = COMPLETIONS_SCOPE.partition("/")
        completions = cognito.ResourceServerScope(
            scope_name=scope_name, scope_description="Push course completions from a learning portal"
        )
        server = self.user_pool.add_resource_server("Integrations", identifier=resource_server, scopes=[completions])
        # client id (a token until deploy) -> the tenant it acts for; the functions are told this map
        self.integration_clients: dict[str, str] = {}
        for integration in integrations:
            client = self.user_pool.add_client(
                f"Integration-{integration.tenant}-{integration.name}",
                user_pool_client_name=f"integration.{integration.tenant}.{integration.name}",
                generate_secret=True,  # a server keeps it; the portal's administrator receives it once
                auth_flows=cognito.AuthFlow(),
                o_auth=cognito.OAuthSettings(
                    flows=cognito.OAuthFlows(client_credentials=True),
                    scopes=[cognito.OAuthScope.resource_server(server, completions)],
                ),
                access_token_validity=Duration.hours(1),
                prevent_user_existence_errors=True,
            )
            self.integration_clients[client.user_pool_client_id] = integration.tenant
