// The dashboard's app client id at the local issuer (a Cognito user pool app client in AWS).

/** Tokens for the dashboard carry this as `aud`. */
export const LOCAL_CLIENT_ID = 'llmo-dashboard';
