"""The CDK app: a platform stack and one stack per service, built from the services' wiring."""
